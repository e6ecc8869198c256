import { z } from "zod";
import { ROLES } from "../../context";

// Request bodies of the staff session and account routes. login.ts and totp.ts check these
// fields themselves (a malformed login is the same 401 as a wrong password: no oracle); the
// schemas are what a client should send, as the document shows it.

export const LoginRequest = z.object({
  username: z.string(),
  password: z.string(),
  totp: z.string().optional().meta({ description: "the 6-digit code, where TOTP is enrolled or required" }),
});

/** Starting TOTP enrolment needs the current password (reauth.ts), not just the cookie. */
export const TotpBeginRequest = z.object({ password: z.string() });

/** Confirming, or turning one's own TOTP off: the current password and a code from the app. */
export const TotpCodeRequest = z.object({ code: z.string(), password: z.string() });

/** The signed-in member (view.ts StaffView). */
export const StaffView = z.strictObject({
  username: z.string(),
  office: z.strictObject({ code: z.string(), name: z.string() }),
  roles: z.array(z.enum(ROLES)),
});

export const SessionAnswer = z.strictObject({ staff: StaffView });

/** totp.ts TotpEnrolment: the secret and its otpauth URI until the enrolment is confirmed; then only `enabled`. */
export const TotpEnrolment = z.strictObject({
  enabled: z.boolean(),
  secret: z.string().optional(),
  uri: z.string().optional(),
});
export const TotpState = z.strictObject({ enabled: z.boolean() });
