import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable, Writable } from "node:stream";
import { solveChallenge } from "altcha-lib";
import { deriveKey } from "altcha-lib/algorithms/pbkdf2";
import postgres from "postgres";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../api/config";
import { cheapestLimits } from "../../api/crypto/password";
import { getSodium } from "../../api/crypto/sodium";
import { type Runtime, startRuntime } from "../../api/runtime";
import { createCaptcha } from "../../api/services/captcha/create";
import { commands } from "../../cli/commands/index";
import { runCli } from "../../cli/run";
import { onPostgres } from "../helpers/db";
import { anonymousReport, realNameReport } from "../helpers/reports";

// Roles are cluster-wide: every name here carries a random suffix, and everything is dropped at
// the end. The test cluster's superuser (postgres, trust auth) only creates the owner and its
// database; the owner does the rest through the admin CLI, as in production.
const base = process.env.TEST_DATABASE_URL;
const suffix = `${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
const OWNER = `qf_own_${suffix}`;
const RUNTIME = `qf_rt_${suffix}`;
const PUBLIC = `qf_pub_${suffix}`;
const DB = `qf_roles_${suffix}`;
const IP = { clientAddress: "203.0.113.9" };

function urlAs(user: string): string {
  const u = new URL(base!);
  u.username = user;
  u.password = "";
  u.pathname = `/${DB}`;
  return u.toString();
}

/** The SQLSTATE of what a statement run as `user` throws (undefined when it succeeds). */
async function sqlState(client: postgres.Sql, statement: string): Promise<string | undefined> {
  try {
    await client.unsafe(statement);
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code ?? "no code";
  }
}

describe.runIf(onPostgres("database roles", "PGlite has no roles or grants to test"))(
  "database roles on PostgreSQL",
  () => {
    let su: postgres.Sql;
    let dir: string;
    let publicRt: Runtime;
    let staffRt: Runtime;
    const clients: postgres.Sql[] = [];
    const as = (user: string) => {
      const c = postgres(urlAs(user), { max: 1, onnotice: () => {} });
      clients.push(c);
      return c;
    };

    const cli = async (argv: string[], stdin: string[] = [], env: Record<string, string> = {}) => {
      const o = { out: "", err: "" };
      const sink = (k: "out" | "err") =>
        new Writable({
          write(chunk, _e, cb) {
            o[k] += chunk.toString();
            cb();
          },
        });
      const code = await runCli(commands, argv, {
        env: { DATABASE_URL: urlAs(OWNER), DATA_DIR: dir, LOG_LEVEL: "silent", MIGRATE: "off", ...env },
        io: { stdin: Readable.from(stdin.map((l) => `${l}\n`)), stdout: sink("out"), stderr: sink("err") },
        passwordLimits: cheapestLimits(),
      });
      return { code, ...o };
    };

    const appEnv = (user: string, role: "public" | "staff") =>
      parseConfig({
        DATABASE_URL: urlAs(user),
        DATA_DIR: dir,
        APP_ROLE: role,
        MIGRATE: "off",
        CAPTCHA: "off",
        RATE_LIMITS: "on",
        TRACK_MIN_MS: "0",
        DEMO: "off",
        LOG_LEVEL: "silent",
      });

    beforeAll(async () => {
      await getSodium();
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "qf-roles-"));
      su = postgres(base!, { max: 1, onnotice: () => {} });
      await su.unsafe(`CREATE ROLE ${OWNER} LOGIN CREATEROLE`);
      await su.unsafe(`CREATE DATABASE ${DB} OWNER ${OWNER}`);
      // The owner migrates, makes the keys, creates the two app roles and a staff member.
      expect(await cli(["migrate"])).toMatchObject({ code: 0 });
      expect((await cli(["init"], [], { MIGRATE: "auto" })).code).toBe(0);
      const roles = await cli(
        ["db", "roles", "--runtime", RUNTIME, "--public", PUBLIC, "--login"],
        ["pw-rt", "pw-pub"],
      );
      expect(roles.err).toBe("");
      expect(roles.out).toContain(`created roles: ${RUNTIME}, ${PUBLIC}`);
      const added = await cli(
        ["staff", "add", "--username", "wc.handler", "--office", "430112", "--roles", "intake,handler"],
        ["handler-password-0123456789"],
      );
      expect(added.code).toBe(0);
      publicRt = await startRuntime(appEnv(PUBLIC, "public"));
      staffRt = await startRuntime(appEnv(RUNTIME, "staff"));
    });

    afterAll(async () => {
      await publicRt?.close();
      await staffRt?.close();
      await Promise.all(clients.map((c) => c.end()));
      if (su) {
        await su.unsafe(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
        for (const r of [RUNTIME, PUBLIC, OWNER]) await su.unsafe(`DROP ROLE IF EXISTS ${r}`);
        await su.end();
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the app roles are neither owner nor superuser; the owner is not a superuser either", async () => {
      const rows =
        await su`select rolname, rolsuper, rolcanlogin from pg_roles where rolname in (${OWNER}, ${RUNTIME}, ${PUBLIC}) order by rolname`;
      expect(rows.map((r) => [r.rolname, r.rolsuper])).toEqual(
        [OWNER, PUBLIC, RUNTIME].sort().map((n) => [n, false]),
      );
      const [own] = await as(
        OWNER,
      )`select array_agg(distinct tableowner) as o from pg_tables where schemaname = 'public'`;
      expect(own.o).toEqual([OWNER]);
    });

    it("the public path works as the public role: report with a file, idempotent retry, track, message, rate limits", async () => {
      const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#0a0" } })
        .png()
        .toBuffer();
      const send = () => {
        const form = new FormData();
        form.set("report", JSON.stringify(realNameReport()));
        form.append("files", new Blob([new Uint8Array(png)], { type: "image/png" }), "现场.png");
        return publicRt.app.request(
          "/api/v1/reports",
          { method: "POST", body: form, headers: { "idempotency-key": `k-${suffix}` } },
          IP,
        );
      };
      const first = await send();
      expect(first.status).toBe(201);
      const receipt = (await first.json()) as { trackingCode: string };
      const again = await send();
      expect(again.status).toBe(201);
      expect(((await again.json()) as { trackingCode: string }).trackingCode).toBe(receipt.trackingCode);

      const track = await publicRt.app.request(
        "/api/v1/track",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ trackingCode: receipt.trackingCode }),
        },
        IP,
      );
      expect(track.status).toBe(200);
      const msg = await publicRt.app.request(
        "/api/v1/track/messages",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ trackingCode: receipt.trackingCode, body: "补充：还有一张收据。" }),
        },
        IP,
      );
      expect(msg.status).toBe(201);
      // A repeat of it filed on the public host is found there: the role inserts the pair into
      // case_repeats (which it cannot read back).
      const repeat = await publicRt.app.request(
        "/api/v1/reports",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(realNameReport({ title: `再次反映 ${suffix}` })),
        },
        IP,
      );
      expect(repeat.status).toBe(201);
      const [{ pairs }] = await as(OWNER)`select count(*)::int as pairs from case_repeats`;
      expect(pairs).toBeGreaterThanOrEqual(1);
      expect((await publicRt.app.request("/api/v1/healthz")).status).toBe(200);
      const [{ n }] = await as(OWNER)`select count(*)::int as n from rate_limit_hits`;
      expect(n).toBeGreaterThan(0);
    });

    it("the captcha works as the public role: a solution is accepted once", async () => {
      const { config, deps } = publicRt;
      const svc = createCaptcha({ ...config, captcha: { provider: "altcha" } }, deps.db, deps.keys, {
        altcha: { cost: 10, counterMin: 10, counterMax: 40 },
        nojs: { minAgeSeconds: 0 },
      });
      const challenge = (await svc.challenge()) as unknown as Parameters<
        typeof solveChallenge
      >[0]["challenge"];
      const solution = await solveChallenge({ challenge, deriveKey });
      const payload = Buffer.from(JSON.stringify({ challenge, solution })).toString("base64");
      expect(await svc.verify(payload)).toBe(true);
      expect(await svc.verify(payload)).toBe(false);
      const token = await svc.noJsToken!();
      expect(await svc.verify(token)).toBe(true);
      expect(await svc.verify(token)).toBe(false);
    });

    it("the public role cannot read or write staff tables, sealed identities or attachments' originals", async () => {
      const pub = as(PUBLIC);
      for (const stmt of [
        "select * from staff",
        "select * from staff_sessions",
        "select * from identity_requests",
        "select * from login_backoff",
        "select * from sealed_identities",
        "select original_cipher from attachments",
        "select original_key_sealed from attachments",
        "select original_name_sealed from attachments",
        "select * from attachments",
        "select * from db_roles",
        "insert into staff_sessions (token_hash, staff_id) select '\\x00', id from staff",
        "update cases set stage = 'concluded'",
        "update case_events set kind = 'x'",
        "delete from cases",
        // The staff ledgers (转送/交办, 督办) and the read marks of 补充材料 are staff business.
        "select * from case_transfers",
        "select * from case_supervisions",
        "update case_messages set read_at = now()",
        // A number can only be drawn, one step at a time, never made to jump or taken back.
        "update case_number_counters set last_seq = last_seq + 7",
        "delete from case_numbers",
        // Intake records likely repeats but never reads or changes them.
        "select * from case_repeats",
        "delete from case_repeats",
        // Person records and person-history searches (党风廉政意见回复) are staff business.
        "select * from persons",
        "select * from person_links",
        "select * from person_history_requests",
        "insert into persons (name, unit, name_key, created_by) values ('x', 'y', 'xy', gen_random_uuid())",
      ]) {
        expect(await sqlState(pub, stmt), stmt).toBe("42501");
      }
      // Row rules: a leaked public credential cannot write what only staff write (red-team finding:
      // a forged staff event or a message "from the office" asking the reporter for their ID).
      const [c] = await pub.unsafe("select id from cases limit 1");
      for (const stmt of [
        `insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, hash)
         values ('${c.id}', 900, now(), 'identity_unsealed', 'staff:custodian', '430000', false, '{}', '\\x00')`,
        `insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, hash)
         values ('${c.id}', 901, now(), 'concluded', 'staff:wc.handler', '430112', true, '{}', '\\x00')`,
        `insert into case_events (case_id, seq, at, kind, actor, office_code, is_public, data, hash)
         values ('${c.id}', 902, now(), 'reporter_message', 'staff:x', '430112', true, '{}', '\\x00')`,
        `insert into case_messages (case_id, sender, body) values ('${c.id}', 'office', '请提供身份证号码')`,
        `insert into case_messages (case_id, sender, body, read_at) values ('${c.id}', 'reporter', '补充', now())`,
        `insert into cases (type, category, real_name, title, body, subject_name, subject_unit, subject_level,
         subject_division_code, routed_office_code, office_code, tracking_hash, stage, public_status)
         values ('accusation', 'work', false, 't', 'b', 'n', 'u', 'county', '430112', '430112', '430112', '\\x01',
         'concluded', 'concluded')`,
        // Leased forever: never claimable, counted as taken (red-team finding).
        `insert into cases (type, category, real_name, title, body, subject_name, subject_unit, subject_level,
         subject_division_code, routed_office_code, office_code, tracking_hash, lease_expires_at)
         values ('accusation', 'work', false, 't', 'b', 'n', 'u', 'county', '430112', '430112', '430112', '\\x02',
         'infinity')`,
      ]) {
        expect(await sqlState(pub, stmt), stmt).toBe("42501");
      }
      // What it does need still works.
      expect(await sqlState(pub, "select id, file_name, media_type, size from attachments")).toBeUndefined();
      expect(await sqlState(pub, "select tracking_hash, public_status from cases")).toBeUndefined();
    });

    it("staff flows work as the runtime role, and open what the public host wrapped", async () => {
      const app = staffRt.app;
      const login = await app.request("/api/v1/staff/session", {
        method: "POST",
        headers: { "content-type": "application/json", origin: "http://localhost" },
        body: JSON.stringify({ username: "wc.handler", password: "handler-password-0123456789" }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get("set-cookie")!.split(";")[0];
      const headers = { cookie, origin: "http://localhost", "content-type": "application/json" };
      const claim = await app.request("/api/v1/staff/queue/claim", { method: "POST", headers });
      expect(claim.status).toBe(200);
      const { case: c, leaseToken } = (await claim.json()) as { case: { id: string }; leaseToken: string };
      const act = await app.request(`/api/v1/staff/cases/${c.id}/actions`, {
        method: "POST",
        headers,
        body: JSON.stringify({ action: "register", leaseToken }),
      });
      expect(act.status).toBe(200);
      const view = (await (await app.request(`/api/v1/staff/cases/${c.id}`, { headers })).json()) as {
        attachments?: { id: string }[];
        case?: { attachments?: { id: string }[] };
      };
      const files = view.attachments ?? view.case?.attachments ?? [];
      expect(files.length).toBe(1);
      const dl = await app.request(`/api/v1/staff/cases/${c.id}/attachments/${files[0].id}`, { headers });
      expect(dl.status).toBe(200);
      const bytes = new Uint8Array(await dl.arrayBuffer());
      expect(Buffer.from(bytes.subarray(1, 4)).toString()).toBe("PNG");
      // The public report from the anonymous form also lands in the same database.
      const anon = await publicRt.app.request(
        "/api/v1/reports",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(anonymousReport()),
        },
        IP,
      );
      expect(anon.status).toBe(201);
      // Login and download each appended to the audit chain as the runtime role.
      const verify = await cli(["trail", "verify"]);
      expect(verify.code).toBe(0);
      // Three cases: the report with a file, its repeat, and the anonymous one.
      expect(verify.out).toMatch(/trail intact: \d+ events in 3 cases; audit log intact: [3-9] rows/);
    });

    it("a reporter's objection reopens a concluded case as the public role, through the owner's function only", async () => {
      const from = { clientAddress: "198.51.100.77" };
      const filed = await publicRt.app.request(
        "/api/v1/reports",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(anonymousReport()),
        },
        from,
      );
      expect(filed.status).toBe(201);
      const { trackingCode } = (await filed.json()) as { trackingCode: string };
      const owner = as(OWNER);
      const [c] = await owner`select id from cases order by received_at desc, serial desc limit 1`;
      await owner`update cases set stage = 'concluded', public_status = 'concluded' where id = ${c.id}`;
      // The public role changes no stage itself…
      expect(await sqlState(as(PUBLIC), `update cases set stage = 'objected' where id = '${c.id}'`)).toBe(
        "42501",
      );
      // …but the reporter's message on the concluded case reopens it for 核查.
      const objection = await publicRt.app.request(
        "/api/v1/track/messages",
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ trackingCode, body: "我对处理结果有异议。" }),
        },
        from,
      );
      expect(objection.status).toBe(201);
      const [after] = await owner`select stage from cases where id = ${c.id}`;
      expect(after.stage).toBe("objected");
      // The function moves concluded cases only.
      const [again] = await as(PUBLIC)`select qf_reopen_on_objection(${c.id}::uuid, now()) as reopened`;
      expect(again.reopened).toBe(false);
      const [grants] =
        await owner`select has_function_privilege('public', 'qf_reopen_on_objection(uuid, timestamptz)', 'execute') as anyone,
        has_function_privilege(${RUNTIME}, 'qf_reopen_on_objection(uuid, timestamptz)', 'execute') as runtime`;
      expect(grants).toEqual({ anyone: false, runtime: true });
    });

    it("the runtime role cannot edit, delete, truncate, unguard or drop the chains", async () => {
      const rt = as(RUNTIME);
      for (const stmt of [
        "update case_events set kind = 'declined'",
        "delete from case_events",
        "truncate case_events",
        "update audit_log set action = 'nothing'",
        "delete from audit_log",
        "truncate audit_log",
        "alter table case_events disable trigger case_events_append_only",
        "alter table audit_log disable trigger all",
        "drop table case_events",
        "drop table audit_log",
        "drop table cases cascade",
        "select * from db_roles",
        "update case_numbers set seq = seq + 1",
        "delete from case_numbers",
      ]) {
        expect(await sqlState(rt, stmt), stmt).toBe("42501");
      }
      expect(await sqlState(rt, "select count(*) from case_events")).toBeUndefined();
      expect(await sqlState(rt, "select count(*) from staff_sessions")).toBeUndefined();
    });

    it("`db roles` is idempotent and `migrate` re-applies grants; unsafe role names are refused", async () => {
      const owner = as(OWNER);
      await owner.unsafe(`revoke insert on cases from ${PUBLIC}`);
      const [before] = await owner`select has_table_privilege(${PUBLIC}, 'cases', 'INSERT') as ok`;
      expect(before.ok).toBe(false);
      const m = await cli(["migrate"]);
      expect(m.code).toBe(0);
      expect(m.out).toContain(`grants re-applied for`);
      const [after] = await owner`select has_table_privilege(${PUBLIC}, 'cases', 'INSERT') as ok`;
      expect(after.ok).toBe(true);

      const again = await cli(["db", "roles", "--runtime", RUNTIME, "--public", PUBLIC]);
      expect(again.code).toBe(0);
      expect(again.out).toContain("roles exist; none created");
      const self = await cli(["db", "roles", "--runtime", OWNER, "--public", PUBLIC]);
      expect(self.code).toBe(1);
      expect(self.err).toMatch(/is the user running this/);
      const su2 = await cli(["db", "roles", "--runtime", "postgres", "--public", PUBLIC]);
      expect(su2.code).toBe(1);
      expect(su2.err).toMatch(/superuser/);
    });

    it("an app started with MIGRATE=off refuses a database that is behind", async () => {
      const owner = as(OWNER);
      const [{ id }] = await owner`select max(id) as id from drizzle.__drizzle_migrations`;
      const [row] = await owner`delete from drizzle.__drizzle_migrations where id = ${id} returning *`;
      try {
        await expect(startRuntime(appEnv(RUNTIME, "staff"))).rejects.toThrow(
          /1 migration\(s\) behind and MIGRATE=off/,
        );
      } finally {
        await owner`insert into drizzle.__drizzle_migrations ${owner(row)}`;
      }
    });

    it("the public role files a 申诉 (no person reported) and a report flagged 报中央纪委国家监委", async () => {
      const file = async (body: unknown) => {
        const res = await publicRt.app.request(
          "/api/v1/reports",
          { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
          IP,
        );
        expect(res.status, await res.clone().text()).toBe(201);
        return (await res.json()) as { office: { code: string } };
      };
      const { subject: _none, ...realName } = realNameReport();
      const appeal = await file({
        ...realName,
        type: "appeal",
        reporter: { kind: "person", name: "王晓明", phone: "0731-88888888" },
        appeal: {
          decision: "给予党内警告处分",
          decidingBody: "望城区纪委监委",
          decisionDate: "2025-06-30",
          officeCode: "430112",
        },
      });
      expect(appeal.office.code).toBe("430112");
      const central = await file(
        realNameReport({
          subject: { ...realNameReport().subject, managementLevel: "province", isDisciplineStaff: true },
        }),
      );
      expect(central.office.code).toBe("430000");
      const rows = await as(OWNER)`select type, subject_name, appeal_office_code, report_to_central from cases
        where appeal_office_code is not null or report_to_central order by type`;
      expect(rows.map((r) => [r.type, r.subject_name, r.appeal_office_code, r.report_to_central])).toEqual([
        ["accusation", "李四", null, true],
        ["appeal", null, "430112", false],
      ]);
    });
  },
);
