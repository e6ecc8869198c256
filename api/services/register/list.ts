import type { VerbArgs } from "../../context";
import { encodeCursor, REGISTER_PAGE_DEFAULT } from "../../domain/register";
import { staffOf } from "../cases/scope";
import {
  cursorOf,
  type RegisterItemRow,
  registerConditions,
  registerRows,
  registerScope,
  registerScopeOffices,
  searchesText,
} from "./query";
import type { RegisterQueryInput } from "./schemas";

/**
 * GET /api/v1/staff/cases — the register (信访件台账): every case the caller may see (their
 * office's; for a supervisor or leader, those of every office below too), filtered, in keyset
 * pages. Reads only: a bad parameter is a 422 before anything is read.
 */
export async function listRegister({
  ctx,
  input,
}: VerbArgs<RegisterQueryInput>): Promise<{ items: RegisterItemRow[]; nextCursor: string | null }> {
  const actor = staffOf(ctx);
  const sort = input.sort ?? "newest";
  const where = registerConditions(ctx, actor, input);
  const after = cursorOf(input.cursor, sort);
  const page = await registerRows(ctx, actor, where, sort, after, input.limit ?? REGISTER_PAGE_DEFAULT, {
    textSearch: searchesText(input),
    scope: registerScope(ctx, actor, input),
    offices: registerScopeOffices(ctx, actor, input),
  });
  return { items: page.items, nextCursor: page.next ? encodeCursor(page.next) : null };
}
