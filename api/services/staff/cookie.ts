import type { Config } from "../../config";

export const SESSION_COOKIE = "qf_staff";

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
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

export function clearedSessionCookie(secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict${secure ? "; Secure" : ""}`;
}

/** The session token from a Cookie header, or undefined. */
export function readSessionCookie(cookieHeader: string | null | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(";")) {
    const i = part.indexOf("=");
    if (i < 0) continue;
    if (part.slice(0, i).trim() === SESSION_COOKIE) {
      const v = part.slice(i + 1).trim();
      return v || undefined;
    }
  }
  return undefined;
}
