import { ATTACHMENT_LABEL } from "../../../messages/labels";

/**
 * The name staff see and the only one stored in plaintext: `附件N.ext`, N the file's position
 * in the report plus one, ext the detected type's. A reporter's own file name
 * (`王小明_身份证_13912345678.png`) can name them, so it is sealed to the vault with the
 * original file (./prepare.ts) and shown only to a custodian who opens the original (./open.ts).
 */
export function attachmentName(position: number, ext: string): string {
  return `${ATTACHMENT_LABEL.zh}${position + 1}.${ext}`;
}
