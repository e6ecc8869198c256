import type { Tx } from "../../../db/client";
import { attachments } from "../../../db/schema/index";
import { attachmentPrefix, type FieldCode } from "../../../messages/errors";
import type { Ctx } from "../../context";
import { sealBytes } from "../../crypto/seal";
import { sodiumSync } from "../../crypto/sodium";
import { type FieldError, fieldError, problems } from "../../errors";
import { type DetectedType, detectType } from "./detect";
import { attachmentName } from "./file-name";
import { attachmentAd, encryptFile, newDataKey, wrapDataKey } from "./seal-file";

export interface IncomingFile {
  name: string;
  type: string;
  data: Uint8Array;
}

export interface PreparedFile {
  /** `附件N.ext`: N = position + 1, ext from the detected type. The only name stored in plaintext. */
  name: string;
  /** The name as uploaded: sealed to the vault in storeAttachments, never stored or logged as is. */
  originalName: string;
  mediaType: string;
  original: Uint8Array;
  clean: Uint8Array;
}

/** The message names the file as the form lists it (附件N), never by the name it was uploaded under. */
function fileError(i: number | undefined, code: FieldCode): FieldError {
  if (i === undefined) return fieldError("files", code);
  const error = fieldError(`files[${i}]`, code);
  return { ...error, message: `${attachmentPrefix(i + 1)}${error.message}` };
}

/**
 * Decides each file's type by its content, cleans it, and checks the limits — all before the
 * intake transaction, and the cheap checks (count, size, type) for every file before any
 * expensive cleaning. The declared type and the name's extension are never trusted.
 *
 * - at most config.maxFiles files (422 `file.too_many`), each at most config.maxFileBytes
 *   (422 `file.too_large`; a body over the whole multipart limit is a 413 earlier on);
 * - JPEG, PNG, PDF, DOCX, MP3, M4A, MP4, MOV only (422 `file.type`), also for a file that
 *   claims to be one of them and is not;
 * - the clean copy, the one staff see, is made in the cleaning worker pool (./pool.ts; what is
 *   removed per type: docs/security-files.md). A file that cannot be cleaned is refused, never
 *   passed on: 422 `file.unreadable` (not a well-formed file of its type), `file.encrypted`
 *   (password-protected), `file.too_complex` (over the worker's memory or time limit); cleaning
 *   stops at the first such file, which the answer names (the files after it are not cleaned);
 * - staff see the file as `附件N.ext`; the name as uploaded is sealed with the original;
 * - the original, exactly as sent, is what a custodian can open.
 */
export async function prepareAttachments(ctx: Ctx, files: IncomingFile[]): Promise<PreparedFile[]> {
  const { maxFiles, maxFileBytes } = ctx.deps.config;
  if (files.length === 0) return [];
  if (files.length > maxFiles) throw problems.invalid([fileError(undefined, "file.too_many")]);

  const errors: FieldError[] = [];
  const types: (DetectedType | undefined)[] = [];
  for (const [i, f] of files.entries()) {
    if (f.data.byteLength > maxFileBytes) {
      errors.push(fileError(i, "file.too_large"));
      types.push(undefined);
      continue;
    }
    const t = await detectType(f.data);
    if (!t) errors.push(fileError(i, "file.type"));
    types.push(t);
  }
  if (errors.length > 0) throw problems.invalid(errors);

  // One file after the other: a report's files share the pool with everyone else's. The first
  // file that cannot be cleaned ends it: the report is refused anyway, and the files after it
  // would only hold a thread (five slow files, five time limits).
  const out: PreparedFile[] = [];
  for (const [i, f] of files.entries()) {
    const t = types[i]!;
    const r = await ctx.deps.cleaner.clean(t, f.data);
    if (!r.ok) throw problems.invalid([fileError(i, r.code)]);
    out.push({
      name: attachmentName(i, t.ext),
      originalName: String(f.name ?? ""),
      mediaType: t.mediaType,
      original: f.data,
      clean: r.data,
    });
  }
  return out;
}

/**
 * Stores prepared files inside the intake transaction. Each copy is encrypted under its own
 * random data key (./seal-file.ts); the clean copy's key is wrapped under a key derived from the
 * server key (staff downloads), the original's is sealed to the identity vault's public key
 * (custodians only, like the identity itself).
 */
export async function storeAttachments(
  ctx: Ctx,
  tx: Tx,
  caseId: string,
  files: PreparedFile[],
): Promise<void> {
  const { keys } = ctx.deps;
  const s = sodiumSync();
  for (const [position, f] of files.entries()) {
    const id = crypto.randomUUID();
    const cleanKey = newDataKey();
    const originalKey = newDataKey();
    try {
      await tx.insert(attachments).values({
        id,
        caseId,
        position,
        fileName: f.name,
        originalNameSealed: sealBytes(keys.vaultPublicKey, new TextEncoder().encode(f.originalName)),
        mediaType: f.mediaType,
        size: f.clean.byteLength,
        cleanKeyWrapped: wrapDataKey(keys.attachmentsPublic, cleanKey),
        cleanCipher: encryptFile(cleanKey, f.clean, attachmentAd(caseId, id, "clean")),
        originalKeySealed: sealBytes(keys.vaultPublicKey, originalKey),
        originalCipher: encryptFile(originalKey, f.original, attachmentAd(caseId, id, "original")),
      });
    } finally {
      s.memzero(cleanKey);
      s.memzero(originalKey);
    }
  }
}
