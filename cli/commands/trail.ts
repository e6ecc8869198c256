import fs from "node:fs";
import { AnchorError, type OpenedAnchor, openAnchor, readAnchorPublicKey } from "../../api/crypto/anchor";
import { getSodium } from "../../api/crypto/sodium";
import { Problem } from "../../api/errors";
import { createAnchor, defaultAnchorPath, writeAnchorFile } from "../../api/services/trail/anchor";
import { verifyTrail } from "../../api/services/trail/verify";
import { verifyAuditChain } from "../../api/services/trail/verify-audit";
import { command } from "../command";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

/**
 * `trail verify`: recomputes every case's hash chain and the audit log's chain. Exit 0 when
 * intact; exit 1 naming the first row that does not match in each broken chain. With
 * `--anchor FILE` (a signed `trail anchor` file), also exit 1 when a chain no longer extends its
 * anchored head: what an insider who recomputed the unkeyed chains cannot hide.
 */
export const trailVerifyCommand = command({
  usage: "trail verify [--anchor FILE] [--json]",
  summary:
    "verify the hash chains of every case's trail (办理轨迹) and of the audit log, and with --anchor that they extend a signed anchor; exit 1 naming what is broken",
  options: { anchor: { type: "string" }, json: { type: "boolean" } },
  async run(ctx, args) {
    const anchorFile = args.values.anchor;
    let anchor: OpenedAnchor | undefined;
    if (anchorFile) {
      // The signature check is libsodium's: load it before anything reads the anchor (a fresh CLI
      // process has not touched libsodium yet).
      await getSodium();
      try {
        anchor = openAnchor(
          fs.readFileSync(anchorFile, "utf8"),
          readAnchorPublicKey(ctx.config.anchorPublicKeyFile),
        );
      } catch (e) {
        // Only a file that cannot be read is said to be unreadable; anything else unexpected is
        // a failure of its own, never dressed up as a bad anchor.
        const io = (e as { code?: string })?.code;
        if (!(e instanceof AnchorError) && !(typeof io === "string" && io.startsWith("E"))) throw e;
        const why = e instanceof AnchorError ? e.message : `cannot read ${anchorFile} (${io})`;
        throw new Problem(500, "anchor-invalid", {
          detail: ["trail.anchor_invalid", { file: anchorFile, why }],
        });
      }
    }
    const deps = await ctx.deps();
    const report = await verifyTrail(deps.db, { anchor: anchor?.cases });
    const audit = await verifyAuditChain(deps.db, { anchor: anchor?.audit });
    const ok = report.ok && audit.ok;
    if (args.values.json) {
      ctx.out(
        JSON.stringify(
          {
            ok,
            trail: report,
            audit: { ...audit, head: audit.head && { seq: audit.head.seq, hash: hex(audit.head.hash) } },
            anchor: anchor && { file: anchorFile, createdAt: anchor.createdAt },
          },
          null,
          2,
        ),
      );
    } else {
      for (const b of report.breaks) {
        ctx.out(
          `BROKEN case ${b.caseId} seq ${b.seq} (${b.kind}, event id ${b.eventId}): ${b.problem} — ${b.detail}`,
        );
      }
      for (const b of report.anchorBreaks ?? []) {
        ctx.out(`ANCHOR case ${b.caseId} (anchored seq ${b.anchoredSeq}): ${b.problem} — ${b.detail}`);
      }
      for (const b of audit.breaks) {
        ctx.out(
          `BROKEN audit log seq ${b.seq ?? "-"} (${b.action}, row id ${b.id}): ${b.problem} — ${b.detail}`,
        );
      }
      if (ok) {
        ctx.out(
          `trail intact: ${report.events} events in ${report.cases} cases; audit log intact: ${audit.rows} rows` +
            (anchor ? `; both extend the anchor of ${anchor.createdAt}` : ""),
        );
      }
    }
    if (!ok) {
      const parts = [
        report.breaks.length ? `${report.breaks.length} case(s) broken` : "",
        report.anchorBreaks?.length ? `${report.anchorBreaks.length} case(s) do not extend the anchor` : "",
        audit.breaks.length ? `audit log broken (${audit.breaks.map((b) => b.problem).join(", ")})` : "",
      ].filter(Boolean);
      const first = report.breaks[0];
      const summary = `${parts.join("; ")}${first ? `; first: case ${first.caseId} seq ${first.seq} (${first.problem})` : ""}`;
      throw new Problem(500, "trail-broken", { detail: ["trail.broken", { summary }] });
    }
  },
});

/** `trail anchor`: signs the chain heads; keep the file (and anchor.key) away from the database. */
export const trailAnchorCommand = command({
  usage: "trail anchor [--out FILE|-]",
  summary:
    "sign every case's chain head and the audit log's head with anchor.key (made on first use) into a file for `trail verify --anchor`; run daily",
  options: { out: { type: "string" } },
  async run(ctx, args) {
    const deps = await ctx.deps();
    const now = deps.now();
    const { anchor, keyCreated, heads } = await createAnchor(ctx.config, deps.db, now);
    const out = args.values.out ?? defaultAnchorPath(ctx.config, now);
    const note = (line: string) => (out === "-" ? ctx.io.stderr.write(`${line}\n`) : ctx.out(line));
    if (keyCreated) {
      note(
        `created the anchor key ${ctx.config.anchorKeyFile} and ${ctx.config.anchorPublicKeyFile}: keep a copy of both away from this server`,
      );
    }
    if (out === "-") {
      ctx.out(JSON.stringify(anchor));
      return;
    }
    writeAnchorFile(out, anchor);
    ctx.out(`anchored ${heads.cases.length} case heads and audit log seq ${heads.audit?.seq ?? 0} in ${out}`);
  },
});
