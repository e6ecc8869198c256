import type { attachments } from "../../../db/schema/index";
import { openSealedBytes } from "../../crypto/seal";
import { sodiumSync } from "../../crypto/sodium";
import { attachmentAd, decryptFile, unwrapDataKey } from "./seal-file";

export type AttachmentRow = typeof attachments.$inferSelect;

export interface OpenedAttachment {
  fileName: string;
  /** Only when a custodian opened the original: the name as the reporter uploaded it. */
  originalName?: string;
  mediaType: string;
  data: Uint8Array;
}

/** The clean copy, as staff download it: needs only the server key. */
export function openCleanAttachment(serverKey: Uint8Array, row: AttachmentRow): OpenedAttachment {
  const key = unwrapDataKey(serverKey, row.cleanKeyWrapped);
  try {
    return {
      fileName: row.fileName,
      mediaType: row.mediaType,
      data: decryptFile(key, row.cleanCipher, attachmentAd(row.caseId, row.id, "clean")),
    };
  } finally {
    sodiumSync().memzero(key);
  }
}

/**
 * The original exactly as the reporter sent it, metadata and all, with the name it was uploaded
 * under: for the custodian flow,
 * with the vault private key a custodian unlocked (api/crypto/vault.ts unlockVault). The caller
 * owns the key and the audit record.
 */
export function openOriginalAttachment(privateKey: Uint8Array, row: AttachmentRow): OpenedAttachment {
  const s = sodiumSync();
  const publicKey = s.crypto_scalarmult_base(privateKey);
  const key = openSealedBytes(publicKey, privateKey, row.originalKeySealed);
  try {
    // Rows from before migration 0002 have no sealed name (their file_name was renamed there).
    const originalName = row.originalNameSealed
      ? new TextDecoder().decode(openSealedBytes(publicKey, privateKey, row.originalNameSealed))
      : row.fileName;
    return {
      fileName: row.fileName,
      originalName,
      mediaType: row.mediaType,
      data: decryptFile(key, row.originalCipher, attachmentAd(row.caseId, row.id, "original")),
    };
  } finally {
    s.memzero(key);
  }
}
