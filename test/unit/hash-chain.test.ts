import fs from "node:fs";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type AnchorKeyPair, openAnchor, signAnchor } from "../../api/crypto/anchor";
import { auditHash } from "../../api/crypto/audit-chain";
import { CanonicalJsonError, canonicalJson } from "../../api/crypto/canonical-json";
import { eventHash } from "../../api/crypto/event-chain";
import { plainHash } from "../../api/crypto/keyed-hash";
import { getSodium } from "../../api/crypto/sodium";
import { chainAudit } from "../../api/services/audit/append";
import { chainEvent } from "../../api/services/events/append";

// Test vectors of docs/hash-chain.md. Every expected value below was computed OUTSIDE this code
// base: the doc's Python recipe (hashlib.blake2b, its own RFC 8785 serializer), cross-checked with
// `b2sum -l 256` and, for the anchor signature, `openssl pkeyutl -sign -rawin` (OpenSSL 3.0).
// Never regenerate them with our own functions: that would test the code against itself.

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
const A = "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b";
const B = "0d9e8f7a-6b5c-4d3e-9f2a-1b0c9d8e7f6a";

const e1 = {
  caseId: A,
  seq: 1,
  at: "2026-03-02T01:30:00.000Z",
  kind: "received" as const,
  actor: "system:intake",
  officeCode: "430100",
  isPublic: true,
  data: { routedTo: "430100", managementLevel: "city" },
};
const e2 = {
  caseId: A,
  seq: 2,
  at: "2026-03-02T09:15:30.250Z",
  kind: "registered" as const,
  actor: "staff:wang.li",
  officeCode: "430100",
  isPublic: true,
  data: { note: "已登记，转交第三纪检组 ✅😀", days: 15, ratio: 0.1, big: 1e21 },
};
const e3 = {
  caseId: B,
  seq: 1,
  at: "2026-03-03T00:00:00.001Z",
  kind: "received" as const,
  actor: "system:intake",
  officeCode: "430102",
  isPublic: false,
  data: {},
};
const a1 = {
  seq: 1,
  at: "2026-03-02T09:20:00.007Z",
  actor: "staff:wang.li",
  action: "identity.unseal",
  caseId: A,
  reason: "核实举报人身份",
  data: {},
};
const a2 = {
  seq: 2,
  at: "2026-03-02T10:00:00.000Z",
  actor: "system:admin-cli",
  action: "secrets.rotate",
  caseId: null,
  reason: null,
  data: { keys: ["vault"], count: 2 },
};

const H = {
  e1: "387f4bd79855eb4f78d9fae9ceb4a0ce2474caa9e97ff31cf4e8e7be7072d0dc",
  e2: "8d5e6f6b8c7a2760a1e3cb8be4c7bd194505a8e8cc13273da17f6dc9ee8435d0",
  e3: "05e5e2aafc53376a6503eeb2c3332fa280c76029945708171487dc38a4bcecd8",
  a1: "780ce339ebb297b00c3310d18a87fea6b5f81a9dfabb97a3c54b98e8cc8a0815",
  a2: "5b2f0d2335887ae10f6d4501cba97b0db6dbf9e930ad894ac556349fda71d95c",
};
const bytes = (h: string) => Uint8Array.from(Buffer.from(h, "hex"));

const ANCHOR = {
  seed: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
  publicKey: "A6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=",
  heads:
    "DZ6PemtcTT6fKhsMnY5/agAAAAEF5eKq/FM3amUD7rLDMy+igMdgKZRXCBcUh9w4pLzs2G8cKjtNXk9ginucDR4vOksAAAACjV5va4x6J2Ch48uL5Me9GUUFqOjMEyc9oX9tye6ENdA=",
  signature: "6uiXs8r7HCKTYO11sriP+QZw++RYrWd4WArK0rECF6rgVm5w4St8uJHZwEse7FzedmWckZ5GfZ94aAck6ubmAQ==",
};

/** RFC 8785 edge cases: JSON text in, canonical text and BLAKE2b-256 of its UTF-8 out. */
const EDGE = [
  {
    name: "member order by UTF-16 code units (😀 U+1F600 sorts before ！ U+FF01)",
    input: String.raw`{"€":"euro","\r":"cr","1":"one","é":"e-acute","😀":"emoji","中文":"Chinese","！":"fullwidth","a":"A","ab":"AB","":"empty"}`,
    canonical: String.raw`{"":"empty","\r":"cr","1":"one","a":"A","ab":"AB","é":"e-acute","€":"euro","中文":"Chinese","😀":"emoji","！":"fullwidth"}`,
    hash: "191a93d511eeefdf57daeb54c9a4dc89ea6a71d20525850c78d6ccbc26427cbe",
  },
  {
    name: "numbers as ECMAScript prints them",
    input:
      "[1e21,1e20,-0,0.1,1e-7,0.000001,5e-324,1.7976931348623157e308,9007199254740993,-1.5,0.30000000000000004,1E3,123456789012345678901234567890]",
    canonical:
      "[1e+21,100000000000000000000,0,0.1,1e-7,0.000001,5e-324,1.7976931348623157e+308,9007199254740992,-1.5,0.30000000000000004,1000,1.2345678901234568e+29]",
    hash: "adb08205bee1c671521cd075de07af0552dac60c509dd3512e26d2b7bd7a8aca",
  },
  {
    name: "escapes: short forms, \\u00xx for other controls, the rest (DEL, U+2028, é, 😀) as is",
    input: String.raw`{"s":"\u0000\u0001\u001f\b\f\n\r\t\"\\/\u007f\u2028\u00e9\ud83d\ude00"}`,
    canonical: `{"s":"\\u0000\\u0001\\u001f\\b\\f\\n\\r\\t\\"\\\\/\u007f\u2028é😀"}`,
    hash: "9cf26d4f40ae1f1999b772f441dbbdc392e40f3a0bbeeb48a305a4207a0e7d0e",
  },
  {
    name: "nested objects sorted at every depth, arrays kept in order",
    input: `{"z":{"b":[3,{"y":null,"x":true}],"a":{"中":"文","😀":[false,"清风"]}},"a":[],"m":{}}`,
    canonical: `{"a":[],"m":{},"z":{"a":{"中":"文","😀":[false,"清风"]},"b":[3,{"x":true,"y":null}]}}`,
    hash: "532ee1dfb0a2509ed0588161489e7fa4c5255d9189039875fb2f326b85b207a2",
  },
];

describe("hash chain test vectors (docs/hash-chain.md)", () => {
  beforeAll(async () => {
    await getSodium();
  });

  it("hashes a case's first event with no previous hash", () => {
    expect(canonicalJson(e1)).toBe(
      `{"actor":"system:intake","at":"2026-03-02T01:30:00.000Z","caseId":"${A}","data":{"managementLevel":"city","routedTo":"430100"},"isPublic":true,"kind":"received","officeCode":"430100","seq":1}`,
    );
    expect(hex(eventHash(null, e1))).toBe(H.e1);
    expect(hex(eventHash(null, e3))).toBe(H.e3);
  });

  it("chains the next event on the previous event's hash", () => {
    expect(hex(eventHash(bytes(H.e1), e2))).toBe(H.e2);
    // Another previous hash, another hash: prev_hash is inside what is hashed.
    expect(hex(eventHash(bytes(H.e3), e2))).not.toBe(H.e2);
  });

  it("the write path (chainEvent) produces the same hashes", () => {
    const first = chainEvent(null, { ...e1, at: new Date(e1.at) });
    expect(hex(first.hash)).toBe(H.e1);
    const second = chainEvent({ seq: 1, hash: first.hash }, { ...e2, at: new Date(e2.at) });
    expect(second.seq).toBe(2);
    expect(hex(second.prevHash!)).toBe(H.e1);
    expect(hex(second.hash)).toBe(H.e2);
  });

  it("hashes audit rows, with null fields and the chain marker", () => {
    expect(canonicalJson({ chain: "audit", ...a2 })).toBe(
      `{"action":"secrets.rotate","actor":"system:admin-cli","at":"2026-03-02T10:00:00.000Z","caseId":null,"chain":"audit","data":{"count":2,"keys":["vault"]},"reason":null,"seq":2}`,
    );
    expect(hex(auditHash(null, a1))).toBe(H.a1);
    expect(hex(auditHash(bytes(H.a1), a2))).toBe(H.a2);
    const row = chainAudit({ seq: 1, hash: bytes(H.a1) }, { ...a2, at: new Date(a2.at) });
    expect(hex(row.hash)).toBe(H.a2);
  });

  it("signs an anchor over the RFC 8785 form of its body, heads packed in case-id order", async () => {
    const s = await getSodium();
    const kp = s.crypto_sign_seed_keypair(bytes(ANCHOR.seed));
    const key: AnchorKeyPair = { publicKey: kp.publicKey, secretKey: kp.privateKey };
    const file = signAnchor(key, {
      audit: { seq: 2, hash: bytes(H.a2) },
      cases: [
        { caseId: A, seq: 2, hash: bytes(H.e2) },
        { caseId: B, seq: 1, hash: bytes(H.e3) },
      ],
      createdAt: new Date("2026-03-03T02:00:00.000Z"),
    });
    expect(file).toEqual({
      format: "qingfeng-trail-anchor/1",
      createdAt: "2026-03-03T02:00:00.000Z",
      audit: { seq: 2, hash: H.a2 },
      cases: { count: 2, heads: ANCHOR.heads },
      key: ANCHOR.publicKey,
      signature: ANCHOR.signature,
    });
    const opened = openAnchor(JSON.stringify(file, null, 2), kp.publicKey);
    expect([opened.cases.at(0).caseId, opened.cases.at(1).caseId]).toEqual([B, A]);
    expect(hex(opened.cases.at(1).hash)).toBe(H.e2);
    expect(() =>
      openAnchor(JSON.stringify({ ...file, createdAt: "2026-03-03T02:00:00.001Z" }), kp.publicKey),
    ).toThrow(/signature does not match/);
  });

  it.each(EDGE)("RFC 8785: $name", ({ input, canonical, hash }) => {
    const out = canonicalJson(JSON.parse(input));
    expect(out).toBe(canonical);
    expect(hex(plainHash(out))).toBe(hash);
  });
});

describe("canonicalJson", () => {
  it("refuses what RFC 8785 refuses: lone surrogates, non-finite numbers, no value", () => {
    for (const bad of [{ s: "\ud800" }, ["x\udc00"], JSON.parse("[1e400]"), { n: Number.NaN }, undefined]) {
      expect(() => canonicalJson(bad)).toThrow(CanonicalJsonError);
    }
  });

  it("turns a stack overflow on absurd nesting into CanonicalJsonError", () => {
    const deep = JSON.parse(`${"[".repeat(200_000)}${"]".repeat(200_000)}`);
    expect(() => canonicalJson(deep)).toThrow(CanonicalJsonError);
  });

  /** The serializer every stored chain was hashed with before RFC 8785, kept only to compare. */
  function sortedKeysJson(value: unknown): string {
    if (value === null || typeof value !== "object") return JSON.stringify(value);
    if (Array.isArray(value)) return `[${value.map(sortedKeysJson).join(",")}]`;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${sortedKeysJson(obj[k])}`).join(",")}}`;
  }

  it("equals the earlier sorted-keys form on every JSON value a jsonb column can hold (stored hashes still verify)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary", maxDepth: 5 }), (v) => {
        expect(canonicalJson(v)).toBe(sortedKeysJson(v));
      }),
      { numRuns: 2000 },
    );
  });
});

describe("docs/hash-chain.md", () => {
  it("states the same vectors as this file", () => {
    const doc = fs.readFileSync(new URL("../../docs/hash-chain.md", import.meta.url), "utf8");
    const expected = [...Object.values(H), ANCHOR.signature, ANCHOR.heads, ...EDGE.map((e) => e.hash)];
    for (const v of expected) expect(doc).toContain(v);
  });
});
