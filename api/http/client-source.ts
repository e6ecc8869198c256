import type { IncomingMessage } from "node:http";
import type { Context } from "hono";
import ipaddr from "ipaddr.js";
import proxyaddr from "proxy-addr";
import type { AppEnv } from "./env";

/**
 * The rate-limit source of a request: the client's address, normalized so that one client is one
 * source. It is only ever handed to the rate limiter, which keys on a keyed hash of it; it is
 * never stored, logged or put in an answer. This file is the ONE place that decides it, for the
 * pages (site/middleware/client-source.ts puts it in Astro.locals.clientSource) and the API
 * (`clientSource(c)`, from the peer the bridge site/pages/api/[...path].ts hands over).
 *
 * - IPv4-mapped IPv6 (`::ffff:203.0.113.7`) is the IPv4 address.
 * - IPv6 is cut to its /64: one subscriber usually holds a whole /64, and keying on full
 *   addresses would give them 2^64 sources.
 * - Anything unparseable is the one source "unknown".
 */
export function normalizeAddress(addr: string | undefined | null): string {
  if (!addr) return "unknown";
  let a = addr.trim();
  // "[2001:db8::1]" or "[2001:db8::1]:443" (a proxy that writes the port).
  if (a.startsWith("[")) {
    const end = a.indexOf("]");
    a = a.slice(1, end > 0 ? end : undefined);
  }
  // "203.0.113.7:51234": an IPv4 address with a port.
  if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(":"));
  const zone = a.indexOf("%");
  if (zone > 0) a = a.slice(0, zone);
  // isValidFourPartDecimal / IPv6.isValid: no octal, hex or short IPv4 forms ("0xCB.0.113.7").
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  if (ipaddr.IPv4.isValidFourPartDecimal(a)) ip = ipaddr.IPv4.parse(a);
  else if (ipaddr.IPv6.isValid(a)) ip = ipaddr.IPv6.parse(a);
  else return "unknown";
  if (ip.kind() === "ipv6") {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
    return `${v6.parts
      .slice(0, 4)
      .map((g) => g.toString(16))
      .join(":")}::/64`;
  }
  return ip.toString();
}

/**
 * proxy-addr's trust function for TRUST_PROXY = n reverse proxies: the peer (i = 0) and the
 * entries the first n-1 proxies appended are trusted; the first untrusted address, walking from
 * the right of X-Forwarded-For, is the client. Whatever the client itself wrote stays on the left
 * and is never reached.
 */
export function trustHops(n: number): (addr: string, i: number) => boolean {
  return (_addr, i) => i < n;
}

/**
 * The client source of a request, from the peer address (the TCP peer, or what the Astro adapter
 * says the client is), the X-Forwarded-For header and TRUST_PROXY (number of trusted hops).
 *
 * Astro's own `clientAddress` is the *leftmost* X-Forwarded-For entry when ALLOWED_HOSTS is set,
 * which a client can forge; a proxied deployment therefore sets TRUST_PROXY and this function, not
 * Astro, decides (api/runtime.ts warns about ALLOWED_HOSTS without TRUST_PROXY).
 */
export function resolveClientAddress(
  peer: string | undefined,
  forwardedFor: string | null | undefined,
  trustProxy: number,
  /** The peer is the TCP socket's own address (the edge server), never a header Astro read. */
  socketPeer = false,
): string {
  // A build with ALLOWED_HOSTS makes Astro's clientAddress the LEFTMOST X-Forwarded-For entry,
  // which the client writes. Without a trusted proxy (TRUST_PROXY=0) such a "peer" is a forgery:
  // keying on it would let a client rotate the header past every limit. The true peer is then
  // unknowable, so all such requests share one source (loud, never a bypass).
  if (trustProxy === 0 && forwardedFor && peer && !socketPeer) {
    const leftmost = forwardedFor.split(",")[0]?.trim();
    if (leftmost && normalizeAddress(leftmost) === normalizeAddress(peer)) {
      warnForgeablePeer?.();
      return "unknown";
    }
  }
  const req = {
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
    socket: { remoteAddress: peer },
  } as unknown as IncomingMessage;
  return normalizeAddress(proxyaddr(req, trustHops(trustProxy)));
}

let warnForgeablePeer: (() => void) | undefined;

/**
 * Called once when a request's peer address turns out to be a client-written X-Forwarded-For
 * entry (a build with ALLOWED_HOSTS served without TRUST_PROXY): the runtime logs the
 * misconfiguration once.
 */
export function onForgeablePeer(warn: () => void): void {
  let warned = false;
  warnForgeablePeer = () => {
    if (warned) return;
    warned = true;
    warn();
  };
}

/** The peer address of an Astro request context, or undefined where Astro has none (prerender). */
export function astroPeer(context: { readonly clientAddress?: string }): string | undefined {
  try {
    return context.clientAddress || undefined;
  } catch {
    return undefined;
  }
}

/** The rate-limit source of an Astro request (middleware, pages). */
export function astroClientSource(
  context: { readonly clientAddress?: string; request: Request },
  trustProxy: number,
): string {
  return resolveClientAddress(astroPeer(context), context.request.headers.get("x-forwarded-for"), trustProxy);
}

/**
 * The rate-limit source of a Hono request: `c.env.clientAddress` from the edge server (the socket's
 * address, `socketPeer: true`), the Astro bridge under `astro dev`, or a test.
 */
export function clientSource(c: Context<AppEnv>): string {
  let peer: string | undefined;
  let socketPeer = false;
  try {
    const env = c.env as { clientAddress?: unknown; socketPeer?: unknown } | undefined;
    peer = typeof env?.clientAddress === "string" && env.clientAddress ? env.clientAddress : undefined;
    socketPeer = env?.socketPeer === true;
  } catch {
    peer = undefined;
  }
  return resolveClientAddress(
    peer,
    c.req.header("x-forwarded-for"),
    c.get("deps").config.trustProxy,
    socketPeer,
  );
}
