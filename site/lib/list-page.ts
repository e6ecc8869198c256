import { Problem } from "../../api/errors";

/**
 * One page of a staff list for a page: the verb's answer, or `badCursor` when the `cursor` in the
 * address is not one the list wrote (the verb's 422: a forged, cut or another list's cursor); the
 * page then answers 422 and offers the first page.
 */
export async function loadListPage<T>(
  response: { status?: number },
  load: () => Promise<T>,
): Promise<{ data: T | undefined; badCursor: boolean }> {
  try {
    return { data: await load(), badCursor: false };
  } catch (e) {
    if (e instanceof Problem && e.status === 422 && e.errors?.some((f) => f.path === "cursor")) {
      response.status = 422;
      return { data: undefined, badCursor: true };
    }
    throw e;
  }
}

/** `path` with `params` (empty values left out). */
export function hrefOf(path: string, params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** `?limit=` of a list page: 1–100 rows (the API's bounds), or the list's default page. */
export function limitParam(url: URL): number | undefined {
  const text = url.searchParams.get("limit") ?? "";
  if (!/^\d{1,3}$/.test(text)) return undefined;
  const n = Number(text);
  return n >= 1 && n <= 100 ? n : undefined;
}
