import { z } from "zod";
import { CATEGORY_CODES } from "../../domain/categories";

export const Divisions = z.strictObject({
  divisions: z.array(
    z.strictObject({
      code: z.string(),
      name: z.string(),
      level: z.enum(["province", "city", "county"]),
      parent: z.string().nullable(),
    }),
  ),
});

export const Categories = z.strictObject({
  categories: z.array(z.strictObject({ code: z.enum(CATEGORY_CODES), label: z.string() })),
});
