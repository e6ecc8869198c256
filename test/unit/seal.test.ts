import { beforeAll, describe, expect, it } from "vitest";
import { boxSecret, openSealedJson, openSecret, sealBytes, sealJson } from "../../api/crypto/seal";
import { getSodium, type Sodium } from "../../api/crypto/sodium";

let s: Sodium;
beforeAll(async () => {
  s = await getSodium();
});

describe("sealed boxes (our construction of crypto_box_seal)", () => {
  it("open with libsodium's own crypto_box_seal_open, and with nothing else", () => {
    const kp = s.crypto_box_keypair();
    const other = s.crypto_box_keypair();
    for (let i = 0; i < 50; i++) {
      const msg = s.randombytes_buf(i * 7);
      const sealed = sealBytes(kp.publicKey, msg);
      expect(sealed.length).toBe(msg.length + s.crypto_box_SEALBYTES);
      expect(Buffer.from(s.crypto_box_seal_open(sealed, kp.publicKey, kp.privateKey))).toEqual(
        Buffer.from(msg),
      );
      expect(() => s.crypto_box_seal_open(sealed, other.publicKey, other.privateKey)).toThrow();
    }
  });
  it("use a fresh ephemeral key each time (the same message seals differently)", () => {
    const kp = s.crypto_box_keypair();
    const a = sealBytes(kp.publicKey, new Uint8Array([1, 2, 3]));
    const b = sealBytes(kp.publicKey, new Uint8Array([1, 2, 3]));
    expect(Buffer.from(a.subarray(0, 32))).not.toEqual(Buffer.from(b.subarray(0, 32)));
  });
  it("round-trip JSON, and a flipped bit is refused", () => {
    const kp = s.crypto_box_keypair();
    const sealed = sealJson(kp.publicKey, { name: "王晓明", idNumber: "430102199003071234" });
    expect(openSealedJson(kp.publicKey, kp.privateKey, sealed)).toEqual({
      name: "王晓明",
      idNumber: "430102199003071234",
    });
    sealed[sealed.length - 1] ^= 1;
    expect(() => openSealedJson(kp.publicKey, kp.privateKey, sealed)).toThrow();
  });
  it("secretbox with a random nonce opens only under its key", () => {
    const k = s.randombytes_buf(32);
    const boxed = boxSecret(k, "秘密");
    expect(new TextDecoder().decode(openSecret(k, boxed))).toBe("秘密");
    expect(() => openSecret(s.randombytes_buf(32), boxed)).toThrow();
    expect(Buffer.from(boxSecret(k, "秘密"))).not.toEqual(Buffer.from(boxed));
  });
});
