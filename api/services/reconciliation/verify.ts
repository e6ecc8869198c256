import type { DbOrTx } from "../../../db/client";
import { AnchorError, AnchoredHeads, type CaseHead } from "../../crypto/anchor";
import { canonicalJson } from "../../crypto/canonical-json";
import { checkDocumentSignature, RECONCILIATION_FORMAT } from "../../crypto/reconciliation-seal";
import { MONTH_PATTERN, monthBounds } from "../../domain/reconciliation";
import type { Numbering } from "../numbering/numbers";
import { buildReconciliation } from "./build";
import { checkHeads, type HeadBreak } from "./heads";
import type { ReconciliationDoc } from "./schemas";

/** One office's trail that no longer matches what the 对账 signed. */
export interface TrailMismatch {
  office: string;
  caseId?: string;
  seq?: number;
  detail?: string;
  /**
   * `rewritten`/`broken`/`missing` (heads.ts HeadBreak) for a signed head; `added` — a case the
   * office now shows trail events on in the month that the 对账 did not list (an event moved into
   * the month or slipped in with a past time); `count` — the number of cases differs.
   */
  problem: HeadBreak["problem"] | "added" | "count";
}

export interface ReconciliationCheck {
  ok: boolean;
  office: string;
  month: string;
  asOf: string;
  trail: TrailMismatch[];
  /** The figures recomputed from today's trail differ from the signed ones (which members). */
  figuresChanged: string[];
}

const heads = (t: { heads: string }) => {
  const a = new AnchoredHeads(Uint8Array.from(Buffer.from(t.heads, "base64")));
  return Array.from({ length: a.count }, (_, i) => a.at(i));
};
const key = (h: CaseHead) => `${h.caseId}:${h.seq}:${Buffer.from(h.hash).toString("hex")}`;

/** Parses a 对账 file; throws AnchorError when it is not one. */
export function parseReconciliation(text: string): ReconciliationDoc {
  let doc: ReconciliationDoc;
  try {
    doc = JSON.parse(text) as ReconciliationDoc;
  } catch {
    throw new AnchorError("the 对账 file is not JSON");
  }
  if (
    doc?.format !== RECONCILIATION_FORMAT ||
    typeof doc.month !== "string" ||
    !MONTH_PATTERN.test(doc.month) ||
    typeof doc.office?.code !== "string" ||
    !Array.isArray(doc.trail) ||
    !Array.isArray(doc.children) ||
    Number.isNaN(Date.parse(doc.asOf))
  ) {
    throw new AnchorError(`not a ${RECONCILIATION_FORMAT} file`);
  }
  return doc;
}

/**
 * Checks a signed 对账 against the trail as it is now: the signature (anchor.pub), then for each
 * office every signed head — its case's chain recomputed from the first event must still lead to
 * that seq and hash — and no case added to the office's month; finally the figures recomputed as
 * at the same cut-off. Events appended after the cut-off change nothing. Throws AnchorError for
 * an unsigned, edited or foreign file.
 */
export async function verifyReconciliation(
  db: DbOrTx,
  n: Numbering,
  doc: ReconciliationDoc,
  publicKey: Uint8Array,
): Promise<ReconciliationCheck> {
  checkDocumentSignature(doc, publicKey);
  const asOf = new Date(doc.asOf);
  const { start } = monthBounds(doc.month);
  const now = await buildReconciliation(db, n, {
    parent: doc.office.code,
    month: doc.month,
    start,
    asOf,
    producedAt: new Date(doc.producedAt),
  });
  const trail: TrailMismatch[] = [];
  const current = new Map(now.trail.map((t) => [t.office, t]));
  for (const signed of doc.trail) {
    const was = heads(signed);
    if (was.length !== signed.cases) {
      trail.push({
        office: signed.office,
        problem: "count",
        detail: "the head count does not match its heads",
      });
    }
    for (const b of await checkHeads(db, was)) trail.push({ office: signed.office, ...b });
    const signedKeys = new Set(was.map(key));
    const signedCases = new Set(was.map((h) => h.caseId));
    const is = current.get(signed.office);
    for (const h of is ? heads(is) : []) {
      // A signed case's head is judged above; a case that was not signed at all is new.
      if (!signedKeys.has(key(h)) && !signedCases.has(h.caseId)) {
        trail.push({
          office: signed.office,
          caseId: h.caseId,
          seq: h.seq,
          problem: "added",
          detail: "the office now shows trail events on this case in the month that the 对账 did not list",
        });
      }
    }
  }
  const figuresChanged: string[] = [];
  if (canonicalJson(now.totals) !== canonicalJson(doc.totals)) figuresChanged.push("totals");
  const was = new Map(doc.children.map((c) => [c.office.code, c]));
  for (const c of now.children) {
    const w = was.get(c.office.code);
    if (!w || canonicalJson(w) !== canonicalJson(c)) figuresChanged.push(c.office.code);
  }
  for (const code of was.keys()) {
    if (!now.children.some((c) => c.office.code === code)) figuresChanged.push(code);
  }
  return {
    ok: trail.length === 0 && figuresChanged.length === 0,
    office: doc.office.code,
    month: doc.month,
    asOf: doc.asOf,
    trail,
    figuresChanged,
  };
}
