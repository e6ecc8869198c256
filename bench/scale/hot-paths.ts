// The hot paths of a seeded province, run through the app in-process with a postgres.js debug
// hook that records every statement the code sends (and its parameters, kept in memory only), so
// their plans can be read: the EXPLAIN guard (test/integration/explain-guard.test.ts) fails on a
// sequential scan of a big table, and `npx tsx bench/scale/explain.ts` prints EXPLAIN ANALYZE of
// each on a database seeded by bench/scale/seed.ts.
import { randomUUID } from "node:crypto";
import { Writable } from "node:stream";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres, { type Sql } from "postgres";
import { createApp } from "../../api/app";
import { ephemeralKeys } from "../../api/bootstrap/keys";
import { parseConfig } from "../../api/config";
import type { Deps, Keys, Role } from "../../api/context";
import { cheapestLimits, hashPassword } from "../../api/crypto/password";
import {
  generateTrackingCode,
  hashTrackingCode,
  normalizeTrackingCode,
} from "../../api/crypto/tracking-code";
import { createVault, testKdf, vaultPublicKey } from "../../api/crypto/vault";
import { createDeps } from "../../api/deps";
import { createLogger } from "../../api/logger";
import { SESSION_COOKIE } from "../../api/services/staff/cookie";
import { createSession } from "../../api/services/staff/session";
import { type DbHandle, schema } from "../../db/client";
import { handlerId } from "./seed";

export const GUARDED_TABLES = ["cases", "case_events", "case_clocks"];

export interface Statement {
  query: string;
  parameters: unknown[];
}

export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  Plans?: PlanNode[];
}

/** The guarded relations a plan reads with a sequential scan. */
export function seqScans(node: PlanNode, out: string[] = []): string[] {
  if (
    node["Node Type"] === "Seq Scan" &&
    node["Relation Name"] &&
    GUARDED_TABLES.includes(node["Relation Name"])
  )
    out.push(node["Relation Name"]);
  for (const child of node.Plans ?? []) seqScans(child, out);
  return out;
}

/** Transaction control and settings: nothing to plan. */
export const NOT_PLANNED = /^\s*(begin|commit|rollback|savepoint|release|set |select set_config|reset )/i;

/** A statement as one line, long IN lists shortened. */
export const oneLine = (q: string, max = 600) =>
  q
    .replace(/\s+/g, " ")
    .replace(/(\$\d+, ){3,}/g, "…, ")
    .slice(0, max);

export interface HotRig {
  deps: Deps;
  app: ReturnType<typeof createApp>;
  cookies: Record<string, string>;
  trackingCode: string;
  activeCase: string;
  finishedCase: string;
  /** Runs one call, recording what the app sends to the database. */
  record(call: () => Promise<Response>): Promise<{ status: number; statements: Statement[] }>;
  close(): Promise<void>;
}

/**
 * The app on `url` (seeded: offices, cases of `office` and of `city` above it) with a recording
 * client, five staff members (intake, the office's first seeded handler, intake and handler, a
 * city and a province supervisor) and a case whose tracking code is known.
 */
export async function openHotRig(
  url: string,
  o: {
    office: string;
    city: string;
    province: string;
    /** The keys of the server the cookies and tracking code are for (default: made in memory). */
    keys?: Keys;
  },
): Promise<HotRig> {
  let recording: Statement[] | undefined;
  const client: Sql = postgres(url, {
    max: 4,
    onnotice: () => {},
    debug: (_conn, query, parameters) => {
      recording?.push({ query, parameters: parameters as unknown[] });
    },
  });
  const handle: DbHandle = {
    db: drizzle({ client, schema }) as unknown as DbHandle["db"],
    kind: "postgres",
    close: () => client.end({ timeout: 5 }),
  };
  const config = parseConfig({
    DATABASE_URL: url,
    CAPTCHA: "off",
    RATE_LIMITS: "off",
    TRACK_MIN_MS: "0",
    DEMO: "off",
    LOG_LEVEL: "warn",
    SESSION_IDLE_MINUTES: "600",
  });
  const vault = await createVault(
    { name: "custodian", passphrase: "correct horse battery staple" },
    await testKdf(),
  );
  const built = await createDeps({
    config,
    db: handle,
    schema: "offices",
    keys: o.keys ?? ephemeralKeys(await vaultPublicKey(vault)),
    serving: false,
    log: createLogger("warn", new Writable({ write: (_c, _e, cb) => cb() })),
    pools: { kdf: { maxThreads: 1 } },
  });
  const deps = built.deps;
  const cookies: Record<string, string> = {};
  const tag = randomUUID().slice(0, 8);
  const member = async (key: string, office: string, roles: Role[], id: string = randomUUID()) => {
    await client`insert into staff ${client({
      id,
      username: `hot.${key}.${tag}`,
      display_name: key,
      office_code: office,
      roles,
      password_hash: hashPassword(`pw-${key}-0123456789`, cheapestLimits()),
    })} on conflict (id) do nothing`;
    cookies[key] = `${SESSION_COOKIE}=${await createSession(deps, id)}`;
  };
  await member("intake", o.office, ["intake"]);
  // The seed's first handler of the office: the cases assigned to them are theirs.
  await member("handler", o.office, ["handler"], handlerId(o.office, 0));
  await member("both", o.office, ["intake", "handler"]);
  await member("city", o.city, ["supervisor"]);
  await member("province", o.province, ["supervisor"]);
  // A case a citizen can look up: its tracking hash made from a code we know.
  const trackingCode = generateTrackingCode();
  const [c] = await client<{ id: string }[]>`update cases set tracking_hash = ${Buffer.from(
    hashTrackingCode(deps.keys.trackingKey, normalizeTrackingCode(trackingCode)!),
  )} where id = (select id from cases where office_code = ${o.office} and stage = 'concluded' limit 1)
    returning id`;
  const [a] = await client<{ id: string }[]>`select id from cases
    where office_code = ${o.office} and stage = 'handling' limit 1`;
  const app = createApp(deps);
  return {
    deps,
    app,
    cookies,
    trackingCode,
    activeCase: a.id,
    finishedCase: c.id,
    async record(call) {
      recording = [];
      try {
        const res = await call();
        await res.arrayBuffer();
        return { status: res.status, statements: recording };
      } finally {
        recording = undefined;
      }
    },
    async close() {
      await built.close();
      await handle.close();
    },
  };
}

export interface HotPath {
  name: string;
  call: () => Promise<Response>;
  /** The answers that count as the path working. */
  ok: number[];
  /** Another helper's route that this build may not have yet: a 404 says it is absent. */
  mayBeAbsent?: boolean;
}

/** Every hot path, as staff and citizens call it. */
export function hotPaths(rig: HotRig, report: Record<string, unknown>): HotPath[] {
  const { app, cookies } = rig;
  const get = (who: string, path: string) => () =>
    Promise.resolve(app.request(path, { headers: { cookie: cookies[who] } }));
  const post = (who: string | null, path: string, body: unknown) => () =>
    Promise.resolve(
      app.request(path, {
        method: "POST",
        headers: {
          ...(who ? { cookie: cookies[who] } : {}),
          origin: "http://localhost",
          "content-type": "application/json",
        },
        body: JSON.stringify(body),
      }),
    );
  const e = encodeURIComponent;
  const p = (name: string, call: () => Promise<Response>, ok = [200], mayBeAbsent = false): HotPath => ({
    name,
    call,
    ok,
    mayBeAbsent,
  });
  return [
    p("claim (intake: the 待受理 backlog)", post("intake", "/api/v1/staff/queue/claim", {})),
    p("claim (handler)", post("handler", "/api/v1/staff/queue/claim", {}), [200, 204]),
    p("claim (intake and handler)", post("both", "/api/v1/staff/queue/claim", {})),
    p("queue counts (county)", get("intake", "/api/v1/staff/queue")),
    p("queue counts (city supervisor)", get("city", "/api/v1/staff/queue")),
    p("queue counts (province supervisor)", get("province", "/api/v1/staff/queue")),
    p("my cases", get("handler", "/api/v1/staff/cases/mine")),
    p("overdue (county)", get("handler", "/api/v1/staff/overdue")),
    p("overdue (city supervisor)", get("city", "/api/v1/staff/overdue")),
    p("overdue (province supervisor)", get("province", "/api/v1/staff/overdue")),
    p("register: first page (county)", get("handler", "/api/v1/staff/cases")),
    p("register: q= (county)", get("handler", `/api/v1/staff/cases?q=${e("挪用扶贫资金")}`)),
    p("register: unit= (city)", get("city", `/api/v1/staff/cases?unit=${e("交通运输局")}`)),
    p("register: subject, 2 characters (city)", get("city", `/api/v1/staff/cases?subject=${e("王伟")}`)),
    p("register: first page (province)", get("province", "/api/v1/staff/cases")),
    p(
      "register: q=违规审批, a common phrase (province)",
      get("province", `/api/v1/staff/cases?q=${e("违规审批")}`),
    ),
    p("register: q=郭秀波, a name (province)", get("province", `/api/v1/staff/cases?q=${e("郭秀波")}`)),
    p("register: q=挪用扶贫资金 (city)", get("city", `/api/v1/staff/cases?q=${e("挪用扶贫资金")}`)),
    p(
      "register: stage=handling&overdue=1&sort=due (province)",
      get("province", "/api/v1/staff/cases?stage=handling&overdue=1&sort=due"),
    ),
    p(
      "register: one month, category, sort=oldest (city)",
      get("city", "/api/v1/staff/cases?from=2024-03-01&to=2024-03-31&category=integrity&sort=oldest"),
    ),
    p("register: unread=1 (county)", get("handler", "/api/v1/staff/cases?unread=1")),
    p("case page (active, own office)", get("handler", `/api/v1/staff/cases/${rig.activeCase}`)),
    p("case page (concluded, city supervisor)", get("city", `/api/v1/staff/cases/${rig.finishedCase}`)),
    p("ledger of sent cases (city)", get("city", "/api/v1/staff/ledger/sent"), [200, 403]),
    p("督办 received (county)", get("handler", "/api/v1/staff/supervisions")),
    p("督办 sent (city)", get("city", "/api/v1/staff/supervisions?direction=sent")),
    p("follow-ups (county)", get("handler", "/api/v1/staff/follow-ups")),
    p("instructions (city)", get("city", "/api/v1/staff/instructions"), [200, 403]),
    p("stats (province)", get("province", "/api/v1/staff/stats"), [200], true),
    p("tracking lookup", post(null, "/api/v1/track", { trackingCode: rig.trackingCode })),
    p("intake (a citizen's report)", post(null, "/api/v1/reports", report), [201]),
  ];
}
