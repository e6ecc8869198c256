// Connection-level failures: the database is restarting, shutting down, unreachable or out of
// connections. The request did not commit (an acknowledged submission is never among them), so
// the client may retry: the API answers 503 with Retry-After, pages say 请稍后再试.
const UNAVAILABLE_DRIVER_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
]);

/**
 * True when `e` (or what drizzle wrapped in it) says the database could not be reached or went
 * away: postgres.js's connection codes, SQLSTATE class 08 (connection exception), 57P01–57P03
 * (admin/crash shutdown, cannot connect now) and 53300 (too many connections).
 */
export function isDatabaseUnavailable(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 5) return false;
  const err = e as { code?: unknown; cause?: unknown; errors?: unknown };
  const code = typeof err.code === "string" ? err.code : "";
  if (UNAVAILABLE_DRIVER_CODES.has(code)) return true;
  if (/^08[0-9A-Z]{3}$/.test(code) || /^57P0[123]$/.test(code) || code === "53300") return true;
  // AggregateError from a connect attempt over several addresses (IPv4 and IPv6 localhost).
  if (Array.isArray(err.errors) && err.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(err.cause, depth + 1);
}
