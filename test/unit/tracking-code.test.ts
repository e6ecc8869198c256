import { beforeAll, describe, expect, it } from "vitest";
import { getSodium } from "../../api/crypto/sodium";
import {
  generateTrackingCode,
  hashTrackingCode,
  normalizeTrackingCode,
} from "../../api/crypto/tracking-code";

beforeAll(async () => {
  await getSodium();
});

describe("tracking codes", () => {
  it("are 20 Crockford base32 characters shown in groups of five", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const code = generateTrackingCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$/);
      seen.add(code);
    }
    expect(seen.size).toBe(2000);
  });
  it("use all 32 symbols in every position (100 random bits)", () => {
    const perPosition = Array.from({ length: 20 }, () => new Set<string>());
    for (let i = 0; i < 3000; i++) {
      const n = normalizeTrackingCode(generateTrackingCode())!;
      for (let p = 0; p < 20; p++) perPosition[p].add(n[p]);
    }
    for (const s of perPosition) expect(s.size).toBe(32);
  });
  it("normalize forgivingly: case, spaces, dashes, O→0, I/L→1", () => {
    expect(normalizeTrackingCode("abcde-12345-fghjk-67890")).toBe("ABCDE12345FGHJK67890");
    expect(normalizeTrackingCode(" ABCDE 12345 FGHJK 67890 ")).toBe("ABCDE12345FGHJK67890");
    expect(normalizeTrackingCode("oOiIl-LLLLL-00000-11111")).toBe("00111111110000011111");
    expect(normalizeTrackingCode("ＡＢＣＤＥ１２３４５ＦＧＨＪＫ６７８９０")).toBe("ABCDE12345FGHJK67890");
  });
  it("refuse what cannot be a code", () => {
    expect(normalizeTrackingCode("ABCDE-12345-FGHJK-6789")).toBeUndefined();
    expect(normalizeTrackingCode("ABCDE-12345-FGHJK-67890-1")).toBeUndefined();
    expect(normalizeTrackingCode("ABCDE-12345-FGHJK-6789U")).toBeUndefined();
    expect(normalizeTrackingCode("")).toBeUndefined();
  });
  it("hash under a key: the same code hashes alike, another key differently", async () => {
    const s = await getSodium();
    const k1 = s.randombytes_buf(32);
    const k2 = s.randombytes_buf(32);
    const n = "ABCDE12345FGHJK67890";
    expect(Buffer.from(hashTrackingCode(k1, n))).toEqual(Buffer.from(hashTrackingCode(k1, n)));
    expect(Buffer.from(hashTrackingCode(k1, n))).not.toEqual(Buffer.from(hashTrackingCode(k2, n)));
    expect(Buffer.from(hashTrackingCode(k1, n)).toString("latin1")).not.toContain(n);
  });
});
