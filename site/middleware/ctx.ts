import { defineMiddleware } from "astro:middleware";
import type { Ctx } from "../../api/context";
import { getRuntime } from "../../api/runtime";

/**
 * The ctx every verb a page calls gets: this request's id, and the signed-in staff member on a
 * staff page, else the reporter (the anonymous public). The login page, where nobody is signed
 * in yet, takes a system actor with the same request id (`systemCtx("login")`).
 */
export const verbCtx = defineMiddleware(async (context, next) => {
  const { deps } = await getRuntime();
  const { requestId, staff } = context.locals;
  context.locals.ctx = { deps, requestId, actor: staff ?? { kind: "reporter" } };
  context.locals.systemCtx = (name: string): Ctx => ({ deps, requestId, actor: { kind: "system", name } });
  return next();
});
