/**
 * Why a file was not cleaned, as a stable code from the closed list of field errors
 * (messages/errors.ts): the caller answers 422 with `files[i]` and this code.
 * - file.unreadable: the bytes are not a well-formed file of the detected type;
 * - file.encrypted: a password-protected document (staff could not read it either);
 * - file.too_complex: over the worker's memory or time limit (a decompression bomb, say).
 */
export type CleanErrorCode = "file.unreadable" | "file.encrypted" | "file.too_complex";

export class CleanError extends Error {
  constructor(readonly code: CleanErrorCode) {
    super(code);
    this.name = "CleanError";
  }
}
