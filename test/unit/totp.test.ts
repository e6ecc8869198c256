import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { getSodium } from "../../api/crypto/sodium";
import {
  base32Decode,
  base32Encode,
  generateTotpSecret,
  hotp,
  openTotpSecret,
  otpauthUri,
  sealTotpSecret,
  totpAt,
  verifyTotp,
} from "../../api/crypto/totp";

const RFC_SECRET = new TextEncoder().encode("12345678901234567890");

beforeAll(async () => {
  await getSodium();
});

describe("HOTP (RFC 4226 appendix D)", () => {
  it("matches the published values for counters 0–9", () => {
    const expected = [
      "755224",
      "287082",
      "359152",
      "969429",
      "338314",
      "254676",
      "287922",
      "162583",
      "399871",
      "520489",
    ];
    expect(expected.map((_, i) => hotp(RFC_SECRET, i))).toEqual(expected);
  });
});

describe("TOTP (RFC 6238 appendix B, SHA-1)", () => {
  const vectors: [number, string][] = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];
  it.each(vectors)("at %i s gives %s (8 digits) and its last 6 digits", (t, code) => {
    expect(hotp(RFC_SECRET, Math.floor(t / 30), 8)).toBe(code);
    expect(totpAt(base32Encode(RFC_SECRET), new Date(t * 1000))).toBe(code.slice(2));
  });
});

describe("verifyTotp", () => {
  const secret = base32Encode(RFC_SECRET);
  const at = new Date(1111111111 * 1000);
  const step = Math.floor(1111111111 / 30);

  it("accepts the current code and ±1 step, returning the matched step", () => {
    expect(verifyTotp(secret, totpAt(secret, at), at, null)).toBe(step);
    expect(verifyTotp(secret, totpAt(secret, new Date(at.getTime() - 30_000)), at, null)).toBe(step - 1);
    expect(verifyTotp(secret, totpAt(secret, new Date(at.getTime() + 30_000)), at, null)).toBe(step + 1);
  });

  it("refuses codes two steps away, malformed codes and used steps", () => {
    expect(verifyTotp(secret, totpAt(secret, new Date(at.getTime() - 90_000)), at, null)).toBeUndefined();
    expect(verifyTotp(secret, "12345", at, null)).toBeUndefined();
    expect(verifyTotp(secret, "abcdef", at, null)).toBeUndefined();
    expect(verifyTotp(secret, totpAt(secret, at), at, step)).toBeUndefined();
    expect(verifyTotp(secret, totpAt(secret, new Date(at.getTime() - 30_000)), at, step)).toBeUndefined();
    expect(verifyTotp(secret, totpAt(secret, new Date(at.getTime() + 30_000)), at, step)).toBe(step + 1);
  });

  it("ignores spaces inside a typed code", () => {
    const c = totpAt(secret, at);
    expect(verifyTotp(secret, `${c.slice(0, 3)} ${c.slice(3)}`, at, null)).toBe(step);
  });
});

describe("base32", () => {
  it("round-trips any bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(base32Decode(base32Encode(b))).toEqual(b);
      }),
    );
  });
  it("encodes the RFC 4648 test vector", () => {
    expect(base32Encode(new TextEncoder().encode("foobar"))).toBe("MZXW6YTBOI");
    expect(() => base32Decode("MZXW1")).toThrow();
  });
  it("generates 160-bit secrets", () => {
    const s = generateTotpSecret();
    expect(s).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(s).length).toBe(20);
    expect(generateTotpSecret()).not.toBe(s);
  });
});

describe("otpauth URI and sealing", () => {
  it("writes the Key Uri Format", () => {
    expect(otpauthUri("清风", "sheng.intake", "JBSWY3DPEHPK3PXP")).toBe(
      "otpauth://totp/%E6%B8%85%E9%A3%8E:sheng.intake?secret=JBSWY3DPEHPK3PXP&issuer=%E6%B8%85%E9%A3%8E&algorithm=SHA1&digits=6&period=30",
    );
  });
  it("seals the secret under the server key and opens it only with that key", async () => {
    const s = await getSodium();
    const k1 = s.randombytes_buf(32);
    const k2 = s.randombytes_buf(32);
    const boxed = sealTotpSecret(k1, "JBSWY3DPEHPK3PXP");
    expect(openTotpSecret(k1, boxed)).toBe("JBSWY3DPEHPK3PXP");
    expect(() => openTotpSecret(k2, boxed)).toThrow();
  });
});
