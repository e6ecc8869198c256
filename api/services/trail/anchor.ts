import fs from "node:fs";
import path from "node:path";
import { desc, gt, isNotNull } from "drizzle-orm";
import type { DbOrTx } from "../../../db/client";
import { auditLog, caseEvents } from "../../../db/schema/index";
import type { Config } from "../../config";
import {
  type AnchorFile,
  type CaseHead,
  ensureAnchorKey,
  readAnchorKey,
  signAnchor,
} from "../../crypto/anchor";

export interface Heads {
  audit: { seq: number; hash: Uint8Array } | null;
  cases: CaseHead[];
}

/**
 * Every case's last event and the audit chain's last row, read in one repeatable-read snapshot
 * (keyset pages of DISTINCT ON over the (case_id, seq) index).
 */
export async function readHeads(db: DbOrTx, pageSize = 5000): Promise<Heads> {
  return db.transaction(
    async (tx) => {
      const cases: CaseHead[] = [];
      let cursor: string | undefined;
      for (;;) {
        const page = await tx
          .selectDistinctOn([caseEvents.caseId], {
            caseId: caseEvents.caseId,
            seq: caseEvents.seq,
            hash: caseEvents.hash,
          })
          .from(caseEvents)
          .where(cursor ? gt(caseEvents.caseId, cursor) : undefined)
          .orderBy(caseEvents.caseId, desc(caseEvents.seq))
          .limit(pageSize);
        cases.push(...page);
        if (page.length < pageSize) break;
        cursor = page[page.length - 1].caseId;
      }
      const [a] = await tx
        .select({ seq: auditLog.seq, hash: auditLog.hash })
        .from(auditLog)
        .where(isNotNull(auditLog.seq))
        .orderBy(desc(auditLog.seq))
        .limit(1);
      return { cases, audit: a?.seq != null && a.hash ? { seq: a.seq, hash: a.hash } : null };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** Where `trail anchor` writes without --out: DATA_DIR/anchors/anchor-20261201T020000Z.json. */
export function defaultAnchorPath(config: Config, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  return path.join(config.dataDir, "anchors", `anchor-${stamp}.json`);
}

/**
 * Signs the current heads with anchor.key (made on first use, with anchor.pub beside it). The
 * key is read from its file only here; the database never sees it.
 */
export async function createAnchor(
  config: Config,
  db: DbOrTx,
  now: Date,
): Promise<{ anchor: AnchorFile; keyCreated: boolean; heads: Heads }> {
  const keyCreated = ensureAnchorKey(config.anchorKeyFile, config.anchorPublicKeyFile);
  const key = readAnchorKey(config.anchorKeyFile);
  const heads = await readHeads(db);
  const anchor = signAnchor(key, { ...heads, createdAt: now });
  key.secretKey.fill(0);
  return { anchor, keyCreated, heads };
}

export function writeAnchorFile(file: string, anchor: AnchorFile): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(anchor, null, 2)}\n`);
  fs.renameSync(tmp, file);
}
