import { describe, expect, it } from "vitest";
import { normalizeLandline, normalizeMobile, normalizePhone } from "../../api/domain/phone";

describe("contact numbers", () => {
  it("keeps the mobile rule: 11 digits from 13 to 19, however typed", () => {
    for (const typed of [
      "13912345678",
      "139 1234 5678",
      "+86 139-1234-5678",
      "0086 13912345678",
      "１３９１２３４５６７８",
    ]) {
      expect(normalizeMobile(typed), typed).toBe("13912345678");
      expect(normalizePhone(typed), typed).toEqual({ kind: "mobile", number: "13912345678" });
    }
    for (const bad of ["12912345678", "1391234567", "139123456789", "0731-88888888"]) {
      expect(normalizeMobile(bad), bad).toBeUndefined();
    }
  });

  it("takes a landline with its area code, written any common way, as 0731-88888888", () => {
    const typed = [
      "0731-88888888",
      "073188888888",
      "(0731)8888 8888",
      "（0731）88888888",
      "０７３１－８８８８８８８８",
      "0731 8888 8888",
      "0731—8888—8888",
      "+86 731 8888 8888",
      "+86-0731-88888888",
      "0086 731 88888888",
    ];
    for (const t of typed) {
      expect(normalizeLandline(t), t).toBe("0731-88888888");
      expect(normalizePhone(t), t).toEqual({ kind: "landline", number: "0731-88888888" });
    }
    // Three-digit area codes (010, 02x); seven-digit local numbers.
    expect(normalizeLandline("010-62345678")).toBe("010-62345678");
    expect(normalizeLandline("(020) 8765 4321")).toBe("020-87654321");
    expect(normalizeLandline("0743-8234567")).toBe("0743-8234567");
  });

  it("refuses what cannot be dialled: no area code, a local number starting 0 or 1, too short or long", () => {
    for (const bad of [
      "88888888",
      "0731-0888888",
      "0731-1888888",
      "0731-88888",
      "0731-888888888",
      "0131-88888888",
      "",
      "电话",
    ]) {
      expect(normalizePhone(bad), bad).toBeUndefined();
    }
  });
});
