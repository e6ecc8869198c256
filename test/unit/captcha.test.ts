import { beforeAll, describe, expect, it } from "vitest";
import { getSodium } from "../../api/crypto/sodium";
import { checkNoJsToken, isNoJsToken, issueNoJsToken } from "../../api/services/captcha/nojs";

let key: Uint8Array;
beforeAll(async () => {
  key = (await getSodium()).randombytes_buf(32);
});

const at = (s: number) => new Date(1_800_000_000_000 + s * 1000);

describe("no-JavaScript captcha token", () => {
  it("is valid from 3 seconds to 2 hours after issue, under the key that signed it", () => {
    const t = issueNoJsToken(key, at(0));
    expect(isNoJsToken(t)).toBe(true);
    expect(checkNoJsToken(key, t, at(1))).toBeUndefined(); // posted at once: a script
    expect(checkNoJsToken(key, t, at(30))?.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(checkNoJsToken(key, t, at(7200))).toBeDefined();
    expect(checkNoJsToken(key, t, at(7201))).toBeUndefined();
    expect(checkNoJsToken(new Uint8Array(32), t, at(30))).toBeUndefined();
  });

  it("refuses any change to its parts", () => {
    const t = issueNoJsToken(key, at(0));
    const [p, issued, nonce, mac] = t.split(".");
    const variants = [
      `${p}.${Number(issued) - 100}.${nonce}.${mac}`,
      `${p}.${issued}.${nonce.replace(/^./, (c) => (c === "A" ? "B" : "A"))}.${mac}`,
      `${p}.${issued}.${nonce}.${mac.replace(/^./, (c) => (c === "A" ? "B" : "A"))}`,
      `${t}x`,
      "nojs1.",
      "nojs1.1.2.3",
    ];
    for (const v of variants) expect(checkNoJsToken(key, v, at(30)), v).toBeUndefined();
  });

  it("is told apart from a proof-of-work payload by its form alone", () => {
    expect(isNoJsToken("eyJjaGFsbGVuZ2UiOnt9fQ==")).toBe(false);
    expect(isNoJsToken(undefined)).toBe(false);
    expect(isNoJsToken(42)).toBe(false);
  });
});
