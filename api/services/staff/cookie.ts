import type { Config } from "../../config";

export const SESSION_COOKIE = "qf_staff";
/**
 * Over TLS the cookie carries the `__Host-` prefix: browsers accept it only with Secure, Path=/
 * and no Domain, so a sibling subdomain or a plain-HTTP page cannot plant or overwrite a
 * session cookie (session fixation). A TLS request reads only the prefixed name.
 */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

export const sessionCookieName = (secure: boolean) => (secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE);

/**
 * Secure when TLS=on, or TLS=auto and the request came over https (directly, or through a
 * proxy that says so in X-Forwarded-Proto). A spoofed header can only add Secure, never drop it.
 */
export function isSecureRequest(config: Config, request: Request): boolean {
  if (config.secureCookies !== "auto") return config.secureCookies;
  if (new URL(request.url).protocol === "https:") return true;
  const xfp = request.headers.get("x-forwarded-proto");
  return (xfp ?? "").split(",")[0].trim().toLowerCase() === "https";
}

/** A browser-session cookie (no Max-Age): the server enforces the idle timeout. */
export function sessionCookie(token: string, secure: boolean): string {
  return `${sessionCookieName(secure)}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${sessionCookieName(secure)}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** The session token from a Cookie header (the `__Host-` name on a TLS request), or undefined. */
export function readSessionCookie(
  cookieHeader: string | null | undefined,
  secure: boolean,
): string | undefined {
  if (!cookieHeader) return undefined;
  const name = sessionCookieName(secure);
  for (const part of cookieHeader.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      const v = part.slice(i + 1).trim();
      return v || undefined;
    }
  }
  return undefined;
}
