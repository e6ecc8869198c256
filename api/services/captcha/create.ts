import type { Config } from "../../config";
import type { CaptchaService } from "../../context";
import type { Db } from "../../../db/client";

// Replaced by the ALTCHA / hCaptcha implementation (issue 4).
export function createCaptcha(_config: Config, _db: Db): CaptchaService {
  return { provider: "off", challenge: async () => ({ provider: "off" }), verify: async () => true };
}
