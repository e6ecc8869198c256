import fs from "node:fs";
import { AnchorError, ensureAnchorKey, readAnchorKey, readAnchorPublicKey } from "../../api/crypto/anchor";
import { signDocument } from "../../api/crypto/reconciliation-seal";
import { getSodium } from "../../api/crypto/sodium";
import { MONTH_PATTERN } from "../../api/domain/reconciliation";
import { Problem } from "../../api/errors";
import { appendAudit } from "../../api/services/audit/append";
import { buildReconciliation } from "../../api/services/reconciliation/build";
import { cutOff, RECONCILIATION_ACTION } from "../../api/services/reconciliation/produce";
import { parseReconciliation, verifyReconciliation } from "../../api/services/reconciliation/verify";
import { command, UsageError } from "../command";

/**
 * `reconciliation sign`: the 对账 of an office for a month, signed with anchor.key, where the
 * key is kept (a host without the key answers the API's 对账 unsigned). Audited like the API's.
 */
export const reconciliationSignCommand = command({
  usage: "reconciliation sign --month YYYY-MM --office CODE [--out FILE|-]",
  summary:
    "produce the monthly 对账 of an office with the offices below it, with their trail heads, signed with anchor.key, for `reconciliation verify`",
  options: { month: { type: "string" }, office: { type: "string" }, out: { type: "string" } },
  async run(ctx, args) {
    const { month, office } = args.values;
    if (!month || !MONTH_PATTERN.test(month)) throw new UsageError("--month YYYY-MM is required");
    const deps = await ctx.deps();
    if (!office || !deps.offices.get(office)) throw new UsageError("--office must be an office code");
    await getSodium();
    const now = deps.now();
    const { start, asOf } = cutOff(month, now);
    ensureAnchorKey(ctx.config.anchorKeyFile, ctx.config.anchorPublicKeyFile);
    const key = readAnchorKey(ctx.config.anchorKeyFile);
    let doc: Awaited<ReturnType<typeof buildReconciliation>>;
    try {
      doc = signDocument(
        key,
        await buildReconciliation(deps.db, deps, { parent: office, month, start, asOf, producedAt: now }),
      );
    } finally {
      key.secretKey.fill(0);
    }
    await appendAudit(deps.db, {
      actor: "system:admin-cli",
      action: RECONCILIATION_ACTION,
      data: { office, month, asOf: doc.asOf, format: "json", signed: true, sent: doc.totals.sent },
      at: now,
    });
    const text = `${JSON.stringify(doc, null, 2)}\n`;
    if (!args.values.out || args.values.out === "-") {
      ctx.out(text.trimEnd());
      return;
    }
    fs.writeFileSync(args.values.out, text);
    ctx.out(`signed the 对账 of ${office} for ${month} (as at ${doc.asOf}) in ${args.values.out}`);
  },
});

/**
 * `reconciliation verify FILE`: checks a signed 对账 against the trail as it is now. Exit 0 when
 * it still holds; exit 1 naming each office, case and seq that no longer matches.
 */
export const reconciliationVerifyCommand = command({
  usage: "reconciliation verify FILE [--json]",
  summary:
    "check a signed 对账 (signature by anchor.pub, each office's trail heads for the month, the figures) against the current trail; exit 1 naming what changed",
  options: { json: { type: "boolean" } },
  positionals: true,
  async run(ctx, args) {
    if (args.positionals.length !== 1) throw new UsageError("expected the 对账 file");
    const file = args.positionals[0];
    await getSodium();
    const deps = await ctx.deps();
    let check: Awaited<ReturnType<typeof verifyReconciliation>>;
    try {
      const doc = parseReconciliation(fs.readFileSync(file, "utf8"));
      check = await verifyReconciliation(
        deps.db,
        deps,
        doc,
        readAnchorPublicKey(ctx.config.anchorPublicKeyFile),
      );
    } catch (e) {
      const io = (e as { code?: string })?.code;
      if (!(e instanceof AnchorError) && !(typeof io === "string" && io.startsWith("E"))) throw e;
      const why = e instanceof AnchorError ? `${file}: ${e.message}` : `cannot read ${file} (${io})`;
      throw new Problem(500, "anchor-invalid", { detail: ["reconciliation.invalid", { why }] });
    }
    if (args.values.json) ctx.out(JSON.stringify(check, null, 2));
    else {
      for (const t of check.trail) {
        ctx.out(
          `TRAIL office ${t.office} case ${t.caseId ?? "-"} seq ${t.seq ?? "-"}: ${t.problem} — ${t.detail ?? ""}`,
        );
      }
      for (const f of check.figuresChanged)
        ctx.out(`FIGURES ${f}: recomputed figures differ from the signed ones`);
      if (check.ok) {
        ctx.out(
          `对账 of ${check.office} for ${check.month} (as at ${check.asOf}) holds: signature good, trail unchanged`,
        );
      }
    }
    if (!check.ok) {
      const summary = `${check.trail.length} trail mismatch(es), ${check.figuresChanged.length} office figure(s) changed`;
      throw new Problem(500, "trail-broken", { detail: ["reconciliation.broken", { summary }] });
    }
  },
});
