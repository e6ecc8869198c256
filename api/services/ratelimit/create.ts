import type { Config } from "../../config";
import type { RateLimiter } from "../../context";
import type { Db } from "../../../db/client";

// Replaced by the keyed-hash limiter (issue 4).
export function createRateLimiter(_config: Config, _db: Db): RateLimiter {
  return { hit: async () => ({ ok: true }) };
}
