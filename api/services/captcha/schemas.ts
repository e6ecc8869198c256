import { z } from "zod";

/** GET /api/v1/captcha: ALTCHA's challenge JSON, or which other provider the form must load. */
export const Challenge = z.union([
  z.strictObject({ provider: z.literal("off") }),
  z.strictObject({ provider: z.literal("hcaptcha"), sitekey: z.string() }),
  z
    .looseObject({
      parameters: z.looseObject({ algorithm: z.string(), expiresAt: z.number() }),
      signature: z.string(),
    })
    .meta({ description: "ALTCHA's challenge (self-hosted proof of work), as the widget takes it" }),
]);
