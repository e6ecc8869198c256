import type { Tx } from "../../../db/client";
import type { Ctx } from "../../context";
import { problems } from "../../errors";

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

/** Decides each file's type by content, cleans it, and checks the limits (before the transaction). */
export async function prepareAttachments(_ctx: Ctx, files: IncomingFile[]): Promise<PreparedFile[]> {
  if (files.length > 0) {
    throw problems.invalid([{ path: "files", code: "file.type", message: "attachments are not accepted yet" }]);
  }
  return [];
}

/** Stores prepared files encrypted, inside the intake transaction. */
export async function storeAttachments(_ctx: Ctx, _tx: Tx, _caseId: string, _files: PreparedFile[]): Promise<void> {}
