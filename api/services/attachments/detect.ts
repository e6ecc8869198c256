import { fileTypeFromBuffer } from "file-type";

export type AttachmentKind = "image" | "pdf" | "docx" | "audio" | "video";

export interface DetectedType {
  kind: AttachmentKind;
  /** What staff get as Content-Type. */
  mediaType: string;
  /** The extension the stored name ends with. */
  ext: string;
}

/**
 * What is accepted, by what the bytes are (file-type reads magic numbers and, for DOCX, the zip
 * directory), never by the name or the declared type: a .jpg that is a program is a program.
 */
const ACCEPTED: Record<string, DetectedType> = {
  "image/jpeg": { kind: "image", mediaType: "image/jpeg", ext: "jpg" },
  "image/png": { kind: "image", mediaType: "image/png", ext: "png" },
  "application/pdf": { kind: "pdf", mediaType: "application/pdf", ext: "pdf" },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {
    kind: "docx",
    mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ext: "docx",
  },
  "audio/mpeg": { kind: "audio", mediaType: "audio/mpeg", ext: "mp3" },
  "audio/x-m4a": { kind: "audio", mediaType: "audio/mp4", ext: "m4a" },
  "audio/mp4": { kind: "audio", mediaType: "audio/mp4", ext: "m4a" },
  "video/mp4": { kind: "video", mediaType: "video/mp4", ext: "mp4" },
  "video/quicktime": { kind: "video", mediaType: "video/quicktime", ext: "mov" },
};

export async function detectType(data: Uint8Array): Promise<DetectedType | undefined> {
  if (data.byteLength === 0) return undefined;
  const found = await fileTypeFromBuffer(data);
  return found ? ACCEPTED[found.mime] : undefined;
}
