import { isIP } from "node:net";
import type { Context } from "hono";
import type { AppEnv } from "./env";

/**
 * The rate-limit source of a request: the client's address, normalized so that one client is one
 * source. It is only ever handed to the rate limiter, which keys on a keyed hash of it; it is
 * never stored, logged or put in an answer.
 *
 * - IPv4-mapped IPv6 (`::ffff:203.0.113.7`) is the IPv4 address.
 * - IPv6 is cut to its /64: one subscriber usually holds a whole /64, and keying on full
 *   addresses would give them 2^64 sources.
 * - Anything unparseable is the one source "unknown".
 */
export function normalizeAddress(addr: string | undefined | null): string {
  if (!addr) return "unknown";
  let a = addr.trim();
  if (a.startsWith("[")) a = a.slice(1, a.indexOf("]") > 0 ? a.indexOf("]") : undefined);
  const zone = a.indexOf("%");
  if (zone > 0) a = a.slice(0, zone);
  // "203.0.113.7:51234" from a proxy that appends the port.
  if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  const kind = isIP(a);
  if (kind === 4) return a;
  if (kind !== 6) return "unknown";
  const groups = expandIPv6(a);
  if (!groups) return "unknown";
  const mapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (mapped) return `${groups[6] >> 8}.${groups[6] & 255}.${groups[7] >> 8}.${groups[7] & 255}`;
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(":")}::/64`;
}

function expandIPv6(a: string): number[] | undefined {
  let s = a.toLowerCase();
  const tail: number[] = [];
  const v4 = s.match(/(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/);
  if (v4) {
    const b = v4.slice(1, 5).map(Number);
    tail.push((b[0] << 8) | b[1], (b[2] << 8) | b[3]);
    s = s.slice(0, s.length - v4[0].length);
    if (s.endsWith(":") && !s.endsWith("::")) s = s.slice(0, -1);
  }
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const parse = (h: string) => (h === "" ? [] : h.split(":").map((x) => Number.parseInt(x, 16)));
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 && known !== 8) return undefined;
  const zeros = halves.length === 2 ? new Array(8 - known).fill(0) : [];
  const out = [...head, ...zeros, ...rest, ...tail];
  return out.length === 8 && out.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? out : undefined;
}

/**
 * The client address of a request. `direct` is the peer address (Astro's clientAddress); with
 * `trustProxy` = N reverse proxies that each append to X-Forwarded-For, the client is the N-th
 * entry from the right. The leftmost entries are whatever the client wrote and are never used.
 *
 * Astro itself reads the *leftmost* X-Forwarded-For entry when ALLOWED_HOSTS is set, which a
 * client can forge; that is why a proxied deployment sets TRUST_PROXY and this function, not
 * Astro, decides.
 */
export function resolveClientAddress(
  direct: string | undefined,
  forwardedFor: string | null | undefined,
  trustProxy: number,
): string {
  if (trustProxy > 0 && forwardedFor) {
    const hops = forwardedFor
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    if (hops.length > 0) return normalizeAddress(hops[Math.max(0, hops.length - trustProxy)]);
  }
  return normalizeAddress(direct);
}

/** The rate-limit source of a Hono request: `c.env.clientAddress` from the Astro bridge (or a test). */
export function clientSource(c: Context<AppEnv>): string {
  let direct: string | undefined;
  try {
    const env = c.env as { clientAddress?: unknown } | undefined;
    direct = typeof env?.clientAddress === "string" ? env.clientAddress : undefined;
  } catch {
    direct = undefined;
  }
  return resolveClientAddress(direct, c.req.header("x-forwarded-for"), c.get("deps").config.trustProxy);
}
