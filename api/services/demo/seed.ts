import fs from "node:fs";
import path from "node:path";
import { inArray } from "drizzle-orm";
import { staff } from "../../../db/schema/index";
import type { Config } from "../../config";
import type { Deps, Role } from "../../context";
import { generatePassword, type PasswordLimits } from "../../crypto/password";
import { Problem } from "../../errors";
import { addStaff } from "../staff/manage";

/** The demo's staff: one per level, and the vault custodian (the vault's demo custodian is "custodian"). */
export const DEMO_STAFF: { username: string; office: string; roles: Role[]; displayName: string }[] = [
  {
    username: "sheng.intake",
    office: "430000",
    roles: ["intake", "handler", "supervisor"],
    displayName: "省纪委监委 受理",
  },
  {
    username: "changsha.supervisor",
    office: "430100",
    roles: ["supervisor", "intake", "handler"],
    displayName: "长沙市纪委监委 督办",
  },
  {
    username: "wangcheng.intake",
    office: "430112",
    // May ask a custodian for a real-name reporter's contact details (dual control).
    roles: ["intake", "handler", "identity_requester"],
    displayName: "望城区纪委监委 受理",
  },
  {
    username: "changsha.leader",
    office: "430100",
    // 批示 the cases put before them, the 书记阅批件 ledger (销号, 督办批示); from above, 提级办理 and
    // 提级审核 of the counties' cases (and, as a supervisor, 督办 of their overdue ones).
    roles: ["leader", "supervisor"],
    displayName: "长沙市纪委监委 领导",
  },
  {
    username: "province.integrity",
    office: "430000",
    // 党风廉政意见回复 (five-year person history) and the 省管干部 monthly summary.
    roles: ["integrity_reply", "cadre_report"],
    displayName: "省纪委监委 党风政风监督室",
  },
  { username: "custodian", office: "430000", roles: ["custodian"], displayName: "身份保管员" },
];

/** Demo data for the embedded default, so a newcomer can click through. Idempotent. */
export const seedDemo = {
  async writeCustodianNote(config: Config, custodian: { name: string; passphrase: string }): Promise<string> {
    const file = path.join(config.dataDir, "DEMO-CUSTODIAN.txt");
    fs.writeFileSync(
      file,
      [
        "清风 demo: identity vault custodian",
        `custodian: ${custodian.name}`,
        `passphrase: ${custodian.passphrase}`,
        "This file exists only in the embedded demo. In production the passphrase is written down by the custodian and never stored.",
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    return file;
  },

  /**
   * Creates the demo staff that do not exist yet, with generated passwords written (mode 600)
   * to DEMO-LOGINS.txt next to the custodian note, and one warn line naming that file; the
   * passwords never reach the log. A second start finds them and does nothing.
   */
  async run(
    deps: Deps,
    opts: { limits?: PasswordLimits } = {},
  ): Promise<{ created: string[]; file?: string }> {
    const existing = new Set(
      (
        await deps.db
          .select({ username: staff.username })
          .from(staff)
          .where(
            inArray(
              staff.username,
              DEMO_STAFF.map((s) => s.username),
            ),
          )
      ).map((r) => r.username),
    );
    const made: { username: string; office: string; roles: Role[]; password: string }[] = [];
    const ctx = { deps, requestId: "demo-seed", actor: { kind: "system" as const, name: "demo-seed" } };
    for (const s of DEMO_STAFF) {
      if (existing.has(s.username)) continue;
      const password = await generatePassword();
      try {
        await addStaff({ ctx, input: { ...s, password, limits: opts.limits } });
      } catch (e) {
        // Another process seeding at the same moment made it first.
        if (e instanceof Problem && e.status === 409) continue;
        throw e;
      }
      made.push({ ...s, password });
    }
    if (made.length === 0) return { created: [] };
    const file = path.join(deps.config.dataDir, "DEMO-LOGINS.txt");
    const header = fs.existsSync(file)
      ? ""
      : [
          "清风 demo: staff logins (sign in at /staff/login)",
          "This file exists only in the embedded demo. Real accounts are made with `npm run admin -- staff add`.",
          "",
        ].join("\n");
    const lines = made.map(
      (m) =>
        `${m.username}\t${m.password}\t${deps.offices.get(m.office)?.name ?? m.office} ${m.office}\t${m.roles.join(",")}`,
    );
    fs.mkdirSync(deps.config.dataDir, { recursive: true });
    fs.appendFileSync(file, `${header}${lines.join("\n")}\n`, { mode: 0o600 });
    fs.chmodSync(file, 0o600);
    deps.log.warn(
      { file },
      "embedded demo: created demo staff logins; their passwords were written to this file",
    );
    return { created: made.map((m) => m.username), file };
  },
};
