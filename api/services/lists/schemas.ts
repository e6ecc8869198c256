import { z } from "zod";
import { LIST_PAGE_DEFAULT, LIST_PAGE_MAX } from "../../domain/list-cursor";

// `?limit=` and `?cursor=` of the staff lists, as the register takes them (register/schemas.ts):
// a repeated parameter counts once (its first value); a bad limit or cursor is a 422.

const one = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (Array.isArray(v) ? v[0] : v), schema);

export const pageLimit = one(
  z
    .string()
    .optional()
    .transform((s) => (s ? s : undefined))
    .pipe(
      z
        .string()
        .regex(/^\d{1,3}$/, { message: "invalid_type" })
        .optional(),
    )
    .transform((s) => (s === undefined ? undefined : Number(s)))
    .pipe(
      z
        .number()
        .int()
        .min(1, { message: "invalid_type" })
        .max(LIST_PAGE_MAX, { message: "invalid_type" })
        .optional(),
    ),
).meta({
  type: "integer",
  minimum: 1,
  maximum: LIST_PAGE_MAX,
  description: `page size, default ${LIST_PAGE_DEFAULT}`,
});

export const pageCursor = one(
  z
    .string()
    .optional()
    .transform((s) => (s ? s : undefined)),
).meta({ type: "string", description: "nextCursor of the previous page (opaque)" });

/** The query of a paged list. */
export const PageQuery = z.object({ limit: pageLimit, cursor: pageCursor });

/** The answer's `nextCursor`. */
export const nextCursor = z
  .string()
  .nullable()
  .meta({ description: "pass as ?cursor= for the next page; null on the last" });
