import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getSodium } from "../../api/crypto/sodium";
import { loginBackoff } from "../../db/schema/index";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { createStaff } from "../helpers/staff";

/**
 * Red-team finding: a flood of other logins fills the Argon2id queue; the real user's own attempt
 * then got 503 AND was counted against their username, so their retries fell into back-off.
 */
describe.each(dbKinds())("a full Argon2id queue on %s", (kind) => {
  let rig: TestRig;
  let password: string;
  beforeAll(async () => {
    rig = await createRig(kind, { env: { KDF_THREADS: "1", KDF_QUEUE: "1", RATE_LIMITS: "on" } });
    password = (await createStaff(rig, { username: "flood.victim", office: "430112", roles: ["intake"] }))
      .password;
  });
  afterAll(async () => rig?.destroy());

  const login = (pw: string) =>
    rig.app.request("/api/v1/staff/session", {
      method: "POST",
      headers: { "content-type": "application/json", origin: "http://localhost" },
      body: JSON.stringify({ username: "flood.victim", password: pw }),
    });

  it("answers 503 without counting the attempt against the username, and the login works after", async () => {
    const s = await getSodium();
    // Slow tasks (interactive Argon2id cost) to hold the one thread and fill the one queue slot.
    const slow = {
      opslimit: s.crypto_pwhash_OPSLIMIT_INTERACTIVE,
      memlimit: s.crypto_pwhash_MEMLIMIT_INTERACTIVE,
    };
    const held: Promise<unknown>[] = [];
    for (let i = 0; i < 4 && !rig.deps.kdf.saturated(); i++) {
      held.push(rig.deps.kdf.hashPassword(`flood-${i}`, slow).catch(() => undefined));
    }
    expect(rig.deps.kdf.saturated()).toBe(true);
    const busy = await login(password);
    expect(busy.status).toBe(503);
    expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await rig.deps.db.select().from(loginBackoff)).toEqual([]);
    await Promise.all(held);
    const ok = await login(password);
    expect(ok.status).toBe(200);
  });
});
