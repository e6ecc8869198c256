// The staff registration's own fields (api/domain/staff-intake.ts): whatever a member types for the
// date received and the sender's reference either normalises to one canonical form or is refused
// with a code; never thrown, never a date in the future or too old.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { STAFF_CHANNELS } from "../../api/domain/channels";
import {
  normalizeReceivedOn,
  normalizeReference,
  parseStaffFields,
  REFERENCE_MAX,
} from "../../api/domain/staff-intake";

const TODAY = "2026-03-02";
const toFullWidth = (s: string) => s.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));
const dateArb = fc
  .date({ min: new Date("2025-03-02T00:00:00Z"), max: new Date("2026-03-02T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

describe("staff intake fields", () => {
  it("reads every way a date is typed as the same YYYY-MM-DD", () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.constantFrom("iso", "slash", "dot", "cn", "cnNoDay"),
        fc.boolean(),
        fc.boolean(),
        fc.constantFrom("", " ", "　", "  "),
        (iso, form, pad, wide, space) => {
          const [y, m, d] = iso.split("-");
          const mm = pad ? m! : String(Number(m));
          const dd = pad ? d! : String(Number(d));
          const typed = {
            iso: `${y}-${mm}-${dd}`,
            slash: `${y}/${mm}/${dd}`,
            dot: `${y}.${mm}.${dd}`,
            cn: `${y}年${mm}月${dd}日`,
            cnNoDay: `${y}年${mm}月${dd}`,
          }[form];
          const input = `${space}${wide ? toFullWidth(typed) : typed}${space}`;
          expect(normalizeReceivedOn(input)).toBe(iso);
          const parsed = parseStaffFields({ channel: "letter", receivedOn: input }, TODAY);
          expect(parsed).toEqual({
            ok: true,
            value: { channel: "letter", receivedOn: iso, reference: null, wantsTrackingCode: false },
          });
        },
      ),
    );
  });

  it("never throws, and accepts only a real date between a year ago and today", () => {
    fc.assert(
      fc.property(
        fc.record({
          channel: fc.oneof(fc.constantFrom(...STAFF_CHANNELS, "online", ""), fc.anything()),
          receivedOn: fc.oneof(dateArb, fc.string(), fc.anything()),
          reference: fc.oneof(fc.string(), fc.constant(undefined), fc.anything()),
          wantsTrackingCode: fc.oneof(fc.boolean(), fc.constantFrom("on", "", "yes"), fc.anything()),
        }),
        (raw) => {
          const r = parseStaffFields(raw as Record<string, unknown>, TODAY);
          if (!r.ok) {
            expect(r.errors.length).toBeGreaterThan(0);
            return;
          }
          expect(r.value.receivedOn <= TODAY).toBe(true);
          expect(r.value.receivedOn >= "2025-03-01").toBe(true);
          expect(STAFF_CHANNELS).toContain(r.value.channel);
          if (r.value.channel === "assigned") expect(r.value.reference).not.toBeNull();
          if (r.value.reference !== null) {
            expect([...r.value.reference].length).toBeLessThanOrEqual(REFERENCE_MAX);
            expect(r.value.reference).toBe(normalizeReference(r.value.reference));
          }
        },
      ),
    );
  });

  it("normalises a reference once for all (idempotent), with no edge or double spaces", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), (s) => {
        const once = normalizeReference(s);
        if (once === null) return;
        expect(normalizeReference(once)).toBe(once);
        expect(once).toBe(once.trim());
        expect(once).not.toMatch(/\s\s/);
      }),
    );
    expect(normalizeReference(" 湘纪交〔２０２６〕５号 ")).toBe("湘纪交〔2026〕5号");
  });

  it("refuses the future, the too old, the impossible and an assigned case without its 文号", () => {
    const codes = (raw: Record<string, unknown>) => {
      const r = parseStaffFields(raw, TODAY);
      return r.ok ? [] : r.errors.map((e) => `${e.path}:${e.code}`);
    };
    expect(codes({ channel: "letter", receivedOn: "2026-03-03" })).toEqual(["receivedOn:date.future"]);
    expect(codes({ channel: "letter", receivedOn: "2025-02-28" })).toEqual(["receivedOn:receivedOn.too_old"]);
    expect(codes({ channel: "letter", receivedOn: "2026-02-29" })).toEqual(["receivedOn:date.invalid"]);
    expect(codes({ channel: "assigned", receivedOn: "2026-03-01", reference: "  " })).toEqual([
      "reference:reference.required",
    ]);
    expect(codes({ receivedOn: "" })).toEqual(["channel:required", "receivedOn:required"]);
  });
});
