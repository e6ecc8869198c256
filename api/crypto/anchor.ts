import fs from "node:fs";
import { CanonicalJsonError, canonicalJson } from "./canonical-json";
import { sodiumSync } from "./sodium";
import { writeSecretFile } from "./vault";

// Chain heads signed with an Ed25519 key (crypto_sign) that the database never holds: whoever can
// rewrite the tables and recompute the unkeyed chains still cannot produce an anchor for the new
// history. The secret key lives in anchor.key (kept by the administrator, ideally off the server);
// verifying needs only anchor.pub.

export const ANCHOR_FORMAT = "qingfeng-trail-anchor/1";

/** One case's chain head. */
export interface CaseHead {
  caseId: string;
  seq: number;
  hash: Uint8Array;
}

export interface AnchorBody {
  format: typeof ANCHOR_FORMAT;
  createdAt: string;
  /** The audit chain's last row, or null when it was empty. */
  audit: { seq: number; hash: string } | null;
  /**
   * Every case's head, sorted by case id, packed as 52-byte records (16-byte case id, 4-byte
   * big-endian seq, 32-byte hash), base64: about 70 bytes of file per case.
   */
  cases: { count: number; heads: string };
  /** The signer's public key (base64), to name it; trust comes from anchor.pub, not from here. */
  key: string;
}

export interface AnchorFile extends AnchorBody {
  /** Ed25519 detached signature (base64) over the canonical JSON of every other field. */
  signature: string;
}

export class AnchorError extends Error {}

const RECORD = 52;
const b64 = (b: Uint8Array) => Buffer.from(b).toString("base64");

export function uuidBytes(id: string): Uint8Array {
  const hex = id.replace(/-/g, "");
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new AnchorError(`not a case id: ${id}`);
  return Uint8Array.from(Buffer.from(hex, "hex"));
}

function bytesUuid(b: Uint8Array): string {
  const h = Buffer.from(b).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function packHeads(heads: CaseHead[]): Uint8Array {
  const out = new Uint8Array(heads.length * RECORD);
  const view = new DataView(out.buffer);
  heads.forEach((h, i) => {
    out.set(uuidBytes(h.caseId), i * RECORD);
    view.setUint32(i * RECORD + 16, h.seq);
    out.set(h.hash, i * RECORD + 20);
  });
  return out;
}

/** The anchored heads, read one at a time in case-id order (memory: the packed bytes only). */
export class AnchoredHeads {
  readonly count: number;
  private readonly view: DataView;
  constructor(private readonly packed: Uint8Array) {
    if (packed.length % RECORD !== 0) throw new AnchorError("anchor: case heads are not whole records");
    this.count = packed.length / RECORD;
    this.view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  }
  at(i: number): CaseHead {
    const o = i * RECORD;
    return {
      caseId: bytesUuid(this.packed.subarray(o, o + 16)),
      seq: this.view.getUint32(o + 16),
      hash: this.packed.slice(o + 20, o + RECORD),
    };
  }
}

/** What the signature covers: UTF-8 of the RFC 8785 JSON of the body (docs/hash-chain.md). */
function message(body: AnchorBody): Uint8Array {
  try {
    return new TextEncoder().encode(canonicalJson(body));
  } catch (e) {
    // Only a hand-edited file gets here (a lone surrogate, 1e400): ours are plain ASCII.
    if (e instanceof CanonicalJsonError) throw new AnchorError(`the anchor file is ${e.message}`);
    throw e;
  }
}

export interface AnchorKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

/** Creates anchor.key (secret, mode 0600) and anchor.pub when missing; returns whether it did. */
export function ensureAnchorKey(keyFile: string, pubFile: string): boolean {
  if (fs.existsSync(keyFile)) {
    if (!fs.existsSync(pubFile)) writeSecretFile(pubFile, `${b64(readAnchorKey(keyFile).publicKey)}\n`);
    return false;
  }
  const kp = sodiumSync().crypto_sign_keypair();
  writeSecretFile(keyFile, `${b64(kp.privateKey)}\n`);
  writeSecretFile(pubFile, `${b64(kp.publicKey)}\n`);
  return true;
}

export function readAnchorKey(keyFile: string): AnchorKeyPair {
  const s = sodiumSync();
  const secretKey = Uint8Array.from(Buffer.from(fs.readFileSync(keyFile, "utf8").trim(), "base64"));
  if (secretKey.length !== s.crypto_sign_SECRETKEYBYTES)
    throw new AnchorError(`${keyFile} is not an anchor key`);
  return { secretKey, publicKey: s.crypto_sign_ed25519_sk_to_pk(secretKey) };
}

export function readAnchorPublicKey(pubFile: string): Uint8Array {
  if (!fs.existsSync(pubFile)) throw new AnchorError(`no anchor public key at ${pubFile}`);
  const pk = Uint8Array.from(Buffer.from(fs.readFileSync(pubFile, "utf8").trim(), "base64"));
  if (pk.length !== sodiumSync().crypto_sign_PUBLICKEYBYTES)
    throw new AnchorError(`${pubFile} is not an anchor public key`);
  return pk;
}

export function signAnchor(
  key: AnchorKeyPair,
  heads: { audit: { seq: number; hash: Uint8Array } | null; cases: CaseHead[]; createdAt: Date },
): AnchorFile {
  const sorted = [...heads.cases].sort((a, b) => (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0));
  const body: AnchorBody = {
    format: ANCHOR_FORMAT,
    createdAt: heads.createdAt.toISOString(),
    audit: heads.audit ? { seq: heads.audit.seq, hash: Buffer.from(heads.audit.hash).toString("hex") } : null,
    cases: { count: sorted.length, heads: b64(packHeads(sorted)) },
    key: b64(key.publicKey),
  };
  const signature = sodiumSync().crypto_sign_detached(message(body), key.secretKey);
  return { ...body, signature: b64(signature) };
}

export interface OpenedAnchor {
  createdAt: string;
  audit: { seq: number; hash: Uint8Array } | null;
  cases: AnchoredHeads;
}

/**
 * Parses an anchor file and checks its signature against the administrator's public key; throws
 * AnchorError saying what is wrong (not an anchor, another key, a bad signature: edited).
 */
export function openAnchor(text: string, publicKey: Uint8Array): OpenedAnchor {
  let f: AnchorFile;
  try {
    f = JSON.parse(text) as AnchorFile;
  } catch {
    throw new AnchorError("the anchor file is not JSON");
  }
  if (f?.format !== ANCHOR_FORMAT || typeof f.signature !== "string" || !f.cases) {
    throw new AnchorError(`not a ${ANCHOR_FORMAT} file`);
  }
  const { signature, ...body } = f;
  const s = sodiumSync();
  if (f.key !== b64(publicKey)) {
    throw new AnchorError("the anchor was signed by another key than anchor.pub");
  }
  const sig = Uint8Array.from(Buffer.from(signature, "base64"));
  if (sig.length !== s.crypto_sign_BYTES || !s.crypto_sign_verify_detached(sig, message(body), publicKey)) {
    throw new AnchorError("the anchor's signature does not match: the file was changed after it was signed");
  }
  const cases = new AnchoredHeads(Uint8Array.from(Buffer.from(f.cases.heads, "base64")));
  if (cases.count !== f.cases.count) throw new AnchorError("anchor: case count does not match its heads");
  return {
    createdAt: f.createdAt,
    audit: f.audit ? { seq: f.audit.seq, hash: Uint8Array.from(Buffer.from(f.audit.hash, "hex")) } : null,
    cases,
  };
}
