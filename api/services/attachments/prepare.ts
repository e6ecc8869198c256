import type { Tx } from "../../../db/client";
import { attachments } from "../../../db/schema/index";
import { fieldMessage } from "../../../site/i18n/errors";
import type { Ctx } from "../../context";
import { sealBytes } from "../../crypto/seal";
import { sodiumSync } from "../../crypto/sodium";
import { type FieldError, problems } from "../../errors";
import { cleanDocx } from "./clean-docx";
import { cleanImage } from "./clean-image";
import { cleanPdf } from "./clean-pdf";
import { type DetectedType, detectType } from "./detect";
import { cleanFileName } from "./file-name";
import { attachmentAd, encryptFile, newDataKey, wrapDataKey } from "./seal-file";

export interface IncomingFile {
  name: string;
  type: string;
  data: Uint8Array;
}

export interface PreparedFile {
  name: string;
  mediaType: string;
  original: Uint8Array;
  clean: Uint8Array;
}

const fileError = (i: number | undefined, code: string): FieldError => ({
  path: i === undefined ? "files" : `files[${i}]`,
  code,
  message: fieldMessage(code),
});

/**
 * Decides each file's type by its content, cleans it, and checks the limits — all before the
 * intake transaction, and the cheap checks (count, size, type) for every file before any
 * expensive cleaning. The declared type and the name's extension are never trusted.
 *
 * - at most config.maxFiles files (422 `file.too_many`), each at most config.maxFileBytes
 *   (422 `file.too_large`; a body over the whole multipart limit is a 413 earlier on);
 * - JPEG, PNG, PDF, DOCX, MP3/M4A, MP4 only (422 `file.type`), also for a file that claims to be
 *   one of them and is not, or that cannot be read well enough to clean;
 * - the clean copy, the one staff see: images re-encoded without metadata, PDF and DOCX
 *   metadata cleared in place; audio and video are kept as they came (their tags and, for
 *   phone videos, a location atom stay: see the README);
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

  const out: PreparedFile[] = [];
  for (const [i, f] of files.entries()) {
    const t = types[i]!;
    let clean: Uint8Array;
    try {
      clean = await cleanCopy(t, f.data);
    } catch {
      errors.push(fileError(i, "file.type"));
      continue;
    }
    out.push({
      name: cleanFileName(f.name, t.ext, `附件${i + 1}`),
      mediaType: t.mediaType,
      original: f.data,
      clean,
    });
  }
  if (errors.length > 0) throw problems.invalid(errors);
  return out;
}

async function cleanCopy(t: DetectedType, data: Uint8Array): Promise<Uint8Array> {
  switch (t.kind) {
    case "image":
      return cleanImage(data, t.mediaType as "image/jpeg" | "image/png");
    case "pdf":
      return cleanPdf(data);
    case "docx":
      return cleanDocx(data);
    default:
      return new Uint8Array(data);
  }
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
