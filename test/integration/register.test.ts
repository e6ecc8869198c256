// Issue 11 §1, the register (信访件台账) through GET /api/v1/staff/cases: every filter against an
// independent reading of the same rows, keyset pages in every order (no duplicate, no gap), the
// scope (own office; a supervisor also the offices below), a two-character name, the CSV export
// (BOM, Chinese headers, formulas neutralised, audited), 422 on bad parameters with nothing
// recorded, and EXPLAIN: the page and search statements have an index path.
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffActor } from "../../api/context";
import { normalizeName } from "../../api/domain/repeats";
import { registerRoute } from "../../api/routes/staff-register";
import { REGISTER_EXPORT_ACTION } from "../../api/services/register/export";
import { registerConditions, registerSelect } from "../../api/services/register/query";
import type { RegisterFilter } from "../../api/services/register/schemas";
import { auditLog, caseMessages, cases } from "../../db/schema/index";
import { expectProblem, expectResponse } from "../helpers/contract";
import { dbKinds } from "../helpers/db";
import { createRig, type TestRig } from "../helpers/deps";
import { anonymousReport } from "../helpers/reports";
import { createStaff } from "../helpers/staff";
import { fileReport } from "../helpers/staff-api";

const CITY = "430100"; // 长沙市
const COUNTY = "430112"; // 望城区, below 长沙市
const OTHER = "430200"; // 株洲市
const TODAY = "2026-03-02";
const now = new Date(`${TODAY}T09:00:00+08:00`);

type Staff = { actor: StaffActor; cookie: string };
type Row = typeof cases.$inferSelect;

const NAMES = ["张三", "张三丰", "王五", "欧阳明", "李四", "赵六"];
const UNITS = ["长沙市交通运输局", "望城区财政局", "株洲市住房和城乡建设局", "长沙县教育局"];
const TITLES = [
  "反映违规审批问题",
  "反映收受回扣问题",
  "反映工程转包问题",
  '=HYPERLINK("http://x")反映问题',
  "反映作风问题",
];
const CHANNELS = ["online", "letter", "visit", "phone", "hotline_12388", "assigned"] as const;
const CATEGORIES = ["integrity", "work", "mass"] as const;
const LEVELS = ["province", "city", "county", "other", "unknown"] as const;
const STAGES = ["received", "registered", "handling", "concluded", "declined"] as const;
const STATUS_OF = {
  received: "received",
  registered: "accepted",
  handling: "in_progress",
  concluded: "concluded",
  declined: "not_accepted",
} as const;
const OFFICES = [CITY, CITY, COUNTY, OTHER];

/** 96 cases with every combination the filters tell apart, several on each day (ties in the order). */
function seedRows() {
  return Array.from({ length: 96 }, (_, i) => {
    const stage = STAGES[i % STAGES.length];
    const named = i % 11 !== 5;
    const office = OFFICES[i % OFFICES.length];
    const day = String(1 + (i % 20)).padStart(2, "0");
    const due =
      i % 4 === 0 ? null : i % 4 === 1 ? "2026-02-20" : i % 4 === 2 ? "2026-03-20" : `2026-03-${day}`;
    const name = NAMES[i % NAMES.length];
    return {
      type: "accusation" as const,
      category: CATEGORIES[i % CATEGORIES.length],
      realName: i % 3 === 0,
      title: `${TITLES[i % TITLES.length]}${i}`,
      body: `正文第${i}件。${i % 7 === 0 ? "涉及扶贫资金挪用。" : "请予调查。"}`,
      subjectName: named ? name : null,
      subjectUnit: named ? UNITS[i % UNITS.length] : null,
      subjectLevel: named ? LEVELS[i % LEVELS.length] : null,
      subjectDivisionCode: named ? "430112" : null,
      subjectKey: named ? normalizeName(name) : null,
      routedOfficeCode: office,
      officeCode: office,
      stage,
      publicStatus: STATUS_OF[stage],
      trackingHash: randomBytes(32),
      channel: CHANNELS[i % CHANNELS.length],
      receivedOn: `2026-02-${day}`,
      nextDueOn: ["received", "registered", "handling"].includes(stage) ? due : null,
    };
  });
}

describe.each(dbKinds())("the register on %s", (kind) => {
  let rig: TestRig;
  let city: Staff;
  let county: Staff;
  let citySup: Staff;
  let numbered: { id: string };
  let all: Row[] = [];
  let unreadIds = new Set<string>();

  /** A JSON page of the register, checked against the route's schema. */
  const pageOf = async (res: Response) => {
    const body = await expectResponse(res, registerRoute, 200);
    if (typeof body === "string") throw new Error("expected a JSON page");
    return body;
  };
  const get = (who: Staff, query: string) =>
    rig.app.request(`/api/v1/staff/cases?${query}`, { headers: { cookie: who.cookie } });
  /** Every page of a query, following nextCursor; the ids in the order the pages gave them. */
  const walk = async (who: Staff, query: string, limit = 7) => {
    const ids: string[] = [];
    let cursor: string | null = null;
    for (let n = 0; n < 100; n++) {
      const res = await get(
        who,
        `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      const page = await pageOf(res);
      expect(page.items.length).toBeLessThanOrEqual(limit);
      ids.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
      if (!cursor) return ids;
    }
    throw new Error("too many pages");
  };
  const inView = (offices: string[]) => all.filter((r) => offices.includes(r.officeCode));
  const idsOf = (rows: Row[]) => rows.map((r) => r.id).sort();
  const expectFilter = async (who: Staff, query: string, scope: string[], keep: (r: Row) => boolean) => {
    const expected = idsOf(inView(scope).filter(keep));
    const got = await walk(who, query, 10);
    expect(new Set(got).size, `${query}: no duplicates`).toBe(got.length);
    expect([...got].sort(), query).toEqual(expected);
    return expected.length;
  };

  beforeAll(async () => {
    // A text search first reads the newest 12 cases after the page (REGISTER_PROBE_ROWS, pages of
    // 10 below) received at most 12 days before it (REGISTER_WINDOW_DAYS; the cases span 20 days):
    // fewer than the cases in view, so walks below take both the probe and the whole range.
    rig = await createRig(kind, {
      now: () => now,
      env: { SESSION_IDLE_MINUTES: "100000", REGISTER_PROBE_ROWS: "12", REGISTER_WINDOW_DAYS: "12" },
    });
    city = await createStaff(rig, { username: "cs.reg", office: CITY, roles: ["intake", "handler"] });
    county = await createStaff(rig, { username: "wc.reg", office: COUNTY, roles: ["intake", "handler"] });
    citySup = await createStaff(rig, { username: "cs.sup", office: CITY, roles: ["supervisor"] });
    // One case through intake, so it has its 信访件编号 (长沙〔2026〕第1号).
    numbered = await fileReport(rig, anonymousReport({ title: "反映赵六违规审批问题（编号件）" }));
    await rig.deps.db.insert(cases).values(seedRows());
    all = await rig.deps.db.select().from(cases);
    // 补充材料: unread on three cases, read on a fourth.
    const some = all.filter((r) => r.officeCode === CITY).slice(0, 4);
    await rig.deps.db.insert(caseMessages).values(
      some.map((r, i) => ({
        caseId: r.id,
        sender: "reporter" as const,
        body: "补充材料",
        readAt: i === 3 ? now : null,
      })),
    );
    unreadIds = new Set(some.slice(0, 3).map((r) => r.id));
  });
  afterAll(async () => rig?.destroy());

  it("pages every order without duplicates or gaps, in that order", async () => {
    const mine = inView([CITY]);
    const key = {
      newest: (a: Row, b: Row) => b.receivedOn.localeCompare(a.receivedOn) || b.serial - a.serial,
      oldest: (a: Row, b: Row) => a.receivedOn.localeCompare(b.receivedOn) || a.serial - b.serial,
      due: (a: Row, b: Row) =>
        (a.nextDueOn ?? "9999-12-31").localeCompare(b.nextDueOn ?? "9999-12-31") || a.serial - b.serial,
    };
    for (const sort of ["newest", "oldest", "due"] as const) {
      const got = await walk(city, `sort=${sort}`, 7);
      expect(got, sort).toEqual([...mine].sort(key[sort]).map((r) => r.id));
    }
    // The default is newest first.
    expect(await walk(city, "x=1", 50)).toEqual([...mine].sort(key.newest).map((r) => r.id));
  });

  it("a text search in newest order pages exactly as the whole range sorted, window or not", async () => {
    const newest = (a: Row, b: Row) => b.receivedOn.localeCompare(a.receivedOn) || b.serial - a.serial;
    const searches: [string, (r: Row) => boolean][] = [
      [`unit=${encodeURIComponent("交通运输局")}`, (r) => r.subjectUnit?.includes("交通运输局") ?? false],
      [`subject=${encodeURIComponent("张三")}`, (r) => r.subjectName?.startsWith("张三") ?? false],
      [`q=${encodeURIComponent("请予调查")}`, (r) => r.body.includes("请予调查")],
    ];
    // The city's supervisor reads two offices (the probe reads each office's newest cases); the
    // province's supervisor every office (the probe reads the newest cases of all of them).
    const provinceSup = await createStaff(rig, {
      username: "hn.sup",
      office: "430000",
      roles: ["supervisor"],
    });
    for (const [who, scope] of [
      [citySup, inView([CITY, COUNTY])],
      [provinceSup, all],
    ] as const)
      for (const [query, keep] of searches)
        for (const limit of [2, 5, 9]) {
          const expected = scope.filter(keep).sort(newest);
          expect(expected.length, query).toBeGreaterThan(limit);
          const got = await walk(who, `${query}&sort=newest`, limit);
          expect(got, `${query} limit ${limit}`).toEqual(expected.map((r) => r.id));
        }
  });

  it("shows the office's own cases, and a supervisor those of the offices below, never another's", async () => {
    await expectFilter(city, "", [CITY], () => true);
    await expectFilter(county, "", [COUNTY], () => true);
    await expectFilter(citySup, "", [CITY, COUNTY], () => true);
    await expectFilter(citySup, `office=${COUNTY}`, [COUNTY], () => true);
    const res = await get(citySup, `office=${COUNTY}&limit=1`);
    expect((await pageOf(res)).items[0].canAct).toBe(false);
    // Another office is not a choice: 422, not an empty list that would confirm it exists.
    const p = await expectProblem(await get(city, `office=${OTHER}`), registerRoute, 422);
    expect(p.errors?.[0]).toMatchObject({ path: "office", code: "register.office" });
    expect((await get({ ...city, cookie: "" }, "")).status).toBe(401);
  });

  it("filters by every field", async () => {
    const s = [CITY, COUNTY];
    const has = (r: Row, t: string) =>
      `${r.subjectName ?? ""} ${r.subjectUnit ?? ""} ${r.title} ${r.body}`
        .toLowerCase()
        .includes(t.toLowerCase());
    expect(
      await expectFilter(citySup, `q=${encodeURIComponent("交通运输")}`, s, (r) => has(r, "交通运输")),
    ).toBeGreaterThan(0);
    expect(
      await expectFilter(citySup, `q=${encodeURIComponent("扶贫资金")}`, s, (r) => has(r, "扶贫资金")),
    ).toBeGreaterThan(0);
    expect(
      await expectFilter(citySup, `q=${encodeURIComponent("HYPERLINK")}`, s, (r) => has(r, "hyperlink")),
    ).toBeGreaterThan(0);
    // A literal % is text, not a wildcard.
    expect(await expectFilter(citySup, `q=${encodeURIComponent("100%回扣")}`, s, () => false)).toBe(0);
    // Two characters: a name's start (张三 and 张三丰) or a unit's.
    const zhangsan = await expectFilter(citySup, `q=${encodeURIComponent("张三")}`, s, (r) =>
      Boolean(r.subjectName?.startsWith("张三")),
    );
    expect(zhangsan).toBeGreaterThan(0);
    expect(
      await expectFilter(citySup, `q=${encodeURIComponent("望城")}`, s, (r) =>
        Boolean(r.subjectUnit?.startsWith("望城")),
      ),
    ).toBeGreaterThan(0);
    expect(
      await expectFilter(citySup, `subject=${encodeURIComponent("张三")}`, s, (r) =>
        Boolean(r.subjectName?.startsWith("张三")),
      ),
    ).toBe(zhangsan);
    expect(
      await expectFilter(
        citySup,
        `subject=${encodeURIComponent("王 五")}`,
        s,
        (r) => r.subjectName === "王五",
      ),
    ).toBeGreaterThan(0);
    expect(
      await expectFilter(
        citySup,
        `subject=${encodeURIComponent("欧阳明")}`,
        s,
        (r) => r.subjectName === "欧阳明",
      ),
    ).toBeGreaterThan(0);
    expect(
      await expectFilter(citySup, `unit=${encodeURIComponent("财政局")}`, s, (r) =>
        Boolean(r.subjectUnit?.includes("财政局")),
      ),
    ).toBeGreaterThan(0);
    expect(
      await expectFilter(citySup, `unit=${encodeURIComponent("株洲")}`, s, (r) =>
        Boolean(r.subjectUnit?.startsWith("株洲")),
      ),
    ).toBeGreaterThan(0);
    for (const [param, field, values] of [
      ["stage", "stage", STAGES],
      ["status", "publicStatus", Object.values(STATUS_OF)],
      ["channel", "channel", CHANNELS],
      ["category", "category", CATEGORIES],
      ["level", "subjectLevel", LEVELS],
    ] as const) {
      for (const v of values) {
        await expectFilter(citySup, `${param}=${v}`, s, (r) => r[field] === v);
      }
    }
    await expectFilter(
      citySup,
      "from=2026-02-05&to=2026-02-09",
      s,
      (r) => r.receivedOn >= "2026-02-05" && r.receivedOn <= "2026-02-09",
    );
    await expectFilter(citySup, "from=2026-02-18", s, (r) => r.receivedOn >= "2026-02-18");
    const overdue = (r: Row) =>
      ["received", "registered", "handling"].includes(r.stage) && r.nextDueOn !== null && r.nextDueOn < TODAY;
    expect(await expectFilter(citySup, "overdue=1", s, overdue)).toBeGreaterThan(0);
    await expectFilter(citySup, "overdue=0", s, (r) => !overdue(r));
    await expectFilter(citySup, "realName=true", s, (r) => r.realName);
    await expectFilter(citySup, "realName=0", s, (r) => !r.realName);
    expect(await expectFilter(city, "unread=1", [CITY], (r) => unreadIds.has(r.id))).toBe(3);
    await expectFilter(city, "unread=0", [CITY], (r) => !unreadIds.has(r.id));
    // Combined: AND.
    await expectFilter(
      citySup,
      `channel=letter&realName=1&q=${encodeURIComponent("问题")}`,
      s,
      (r) => r.channel === "letter" && r.realName && has(r, "问题"),
    );
    // The items say what the table shows.
    const res = await get(city, "unread=1&limit=3");
    const page = await pageOf(res);
    expect(page.items.every((i) => i.unread && i.canAct && i.office.code === CITY)).toBe(true);
  });

  it("finds a case by its 信访件编号, with or without the office's short name", async () => {
    await expectFilter(
      city,
      `number=${encodeURIComponent("长沙〔2026〕第1号")}`,
      [CITY],
      (r) => r.id === numbered.id,
    );
    await expectFilter(
      citySup,
      `number=${encodeURIComponent("〔2026〕第1号")}`,
      [CITY, COUNTY],
      (r) => r.id === numbered.id,
    );
    await expectFilter(city, `number=${encodeURIComponent("长沙[2026]第2号")}`, [CITY], () => false);
    const res = await get(city, `number=${encodeURIComponent("长沙〔2026〕第1号")}&limit=1`);
    expect((await pageOf(res)).items[0].number).toBe("长沙〔2026〕第1号");
  });

  it("answers 422 problem+json to every bad parameter and records nothing", async () => {
    const audits = async () =>
      (await rig.deps.db.select({ n: sql<number>`count(*)::int` }).from(auditLog))[0].n;
    const before = await audits();
    const cursor = (await pageOf(await get(city, "limit=2&sort=oldest"))).nextCursor!;
    const bad: [string, string, string][] = [
      ["stage=bogus", "stage", "invalid_choice"],
      ["channel=fax", "channel", "invalid_choice"],
      ["overdue=yes", "overdue", "invalid_choice"],
      ["sort=random", "sort", "invalid_choice"],
      ["from=2026-02-30", "from", "date.invalid"],
      ["from=2026-03-01&to=2026-02-01", "to", "register.date_range"],
      ["office=12", "office", "register.office"],
      ["limit=0", "limit", "invalid_type"],
      ["limit=101", "limit", "invalid_type"],
      ["cursor=not-a-cursor", "cursor", "register.cursor"],
      [`cursor=${cursor}&sort=newest`, "cursor", "register.cursor"],
      [`cursor=${cursor.slice(0, -2)}&sort=oldest`, "cursor", "register.cursor"],
      // Year 0000 and 0001 (the probe looks back from it): real calendar dates, not PostgreSQL's.
      [
        `cursor=${Buffer.from("newest.0000-06-01.5").toString("base64url")}&q=abc`,
        "cursor",
        "register.cursor",
      ],
      [
        `cursor=${Buffer.from("newest.0001-01-02.5").toString("base64url")}&q=abc`,
        "cursor",
        "register.cursor",
      ],
      ["number=abc", "number", "register.number"],
      [`q=${"长".repeat(101)}`, "q", "too_long"],
      ["format=xlsx", "format", "invalid_choice"],
      ["format=csv&stage=bogus", "stage", "invalid_choice"],
    ];
    for (const [query, path, code] of bad) {
      const p = await expectProblem(await get(city, query), registerRoute, 422);
      expect(
        p.errors?.map((e) => [e.path, e.code]),
        query,
      ).toContainEqual([path, code]);
    }
    // The cursor of the right order works.
    await expectResponse(await get(city, `limit=2&sort=oldest&cursor=${cursor}`), registerRoute, 200);
    expect(await audits()).toBe(before);
  });

  it("exports the filter as CSV for Excel, neutralises formulas, and audits the export", async () => {
    const q = "from=2026-02-01&sort=oldest";
    const res = await get(citySup, `${q}&format=csv`);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="register-/);
    const bytes = (await expectResponse(res, registerRoute, 200)) as unknown as Uint8Array;
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).slice(1);
    const lines = text.split("\r\n").filter(Boolean);
    expect(lines[0].split(",").slice(0, 3)).toEqual(["信访件编号", "收到日期", "渠道"]);
    expect(lines[0]).toContain("被反映人");
    const ids = await walk(citySup, q, 100);
    expect(ids.length).toBeGreaterThan(10);
    expect(lines.length - 1).toBe(ids.length);
    // A title that starts with = reaches the sheet as text.
    const formula = lines.find((l) => l.includes("HYPERLINK"));
    expect(formula).toContain(`"'=HYPERLINK(""http://x"")反映问题`);
    expect(lines.some((l) => /(^|,)"?[=+\-@]/.test(l))).toBe(false);
    const [audit] = await rig.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, REGISTER_EXPORT_ACTION));
    expect(audit.actor).toBe("staff:cs.sup");
    expect(audit.data).toMatchObject({
      rows: ids.length,
      truncated: false,
      filter: { from: "2026-02-01", sort: "oldest" },
    });
  });

  it("never writes a phone or ID number typed into the search box to the audit trail", async () => {
    const typed = [
      "１３９ ８８８８ ０００１",
      "430102-19800101-0035",
      "139-8888-0002 王 五",
      "+86 13988880003",
    ];
    for (const t of typed) {
      const res = await get(citySup, `q=${encodeURIComponent(t)}&unit=${encodeURIComponent(t)}&format=csv`);
      expect(res.status, t).toBe(200);
      await res.arrayBuffer();
    }
    const rows = await rig.deps.db.select().from(auditLog).where(eq(auditLog.action, REGISTER_EXPORT_ACTION));
    const filters = rows.map((r) => (r.data as { filter: { q?: string; unit?: string } }).filter);
    const masked = filters.filter((f) => f.q?.includes("＊"));
    expect(masked.length).toBe(typed.length);
    for (const f of masked) {
      expect(f.q).not.toMatch(/\p{N}/u);
      expect(f.unit).not.toMatch(/\p{N}/u);
    }
    // A search without a number is kept as typed, so the trail still says what was looked for.
    const plain = await get(citySup, `q=${encodeURIComponent("工程 2026年")}&format=csv`);
    await plain.arrayBuffer();
    const [last] = await rig.deps.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, REGISTER_EXPORT_ACTION))
      .orderBy(sql`${auditLog.id} desc`)
      .limit(1);
    expect(last.data).toMatchObject({ filter: { q: "工程 2026年" } });
  });

  it("plans the page and the searches on indexes (EXPLAIN, sequential scans off)", async () => {
    // Enough rows of plain text that scanning the office's cases is no longer cheaper than the
    // search indexes (a few dozen rows fit one page, where any plan is as good).
    await rig.deps.db.execute(sql`insert into cases (type, category, real_name, title, body, subject_name,
      subject_unit, subject_level, subject_division_code, routed_office_code, office_code, tracking_hash, received_on)
      select 'accusation', 'work', false, '反映工作作风问题' || g, '正文' || md5(g::text), '某' || (g % 97), '某单位' || (g % 89),
        'county', '430112', ${CITY}, ${CITY}, decode(md5('explain' || g), 'hex'), date '2025-01-01' + (g % 400)
      from generate_series(1, 4000) g`);
    // VACUUM as autovacuum would: it also moves the rows out of the GIN indexes' pending list,
    // which the planner otherwise prices as a scan per searched key.
    await rig.deps.db.execute(sql`vacuum analyze cases`);
    const plan = async (query: Partial<RegisterFilter>, sort: "newest" | "due" = "newest", who = citySup) => {
      const ctx = { deps: rig.deps, actor: who.actor, requestId: "explain" } as never;
      const q = registerSelect(
        ctx,
        registerConditions(ctx, who.actor, query as RegisterFilter),
        sort,
        undefined,
        50,
      );
      return rig.deps.db.transaction(async (tx) => {
        await tx.execute(sql`set local enable_seqscan = off`);
        const res = (await tx.execute(sql`explain ${q}`)) as unknown as
          | { "QUERY PLAN": string }[]
          | { rows: { "QUERY PLAN": string }[] };
        return (Array.isArray(res) ? res : res.rows).map((r) => r["QUERY PLAN"]).join("\n");
      });
    };
    const noSeqScan = (p: string) => expect(p).not.toMatch(/Seq Scan on cases/);
    const page = await plan({});
    noSeqScan(page);
    expect(page).toMatch(/Index (Only )?Scan/);
    const due = await plan({}, "due");
    noSeqScan(due);
    const text = await plan({ q: "交通运输局" });
    noSeqScan(text);
    expect(text).toContain("cases_register_text_trgm_idx");
    // Within one office the same index takes the office and the text together, so only the
    // office's matches are read (not every match in the province, then filtered).
    const own = await plan({ q: "交通运输局" }, "newest", county);
    noSeqScan(own);
    expect(own).toMatch(
      /cases_register_text_trgm_idx .*\n\s+Index Cond: \(\(office_code = '430112'::text\) AND .*~~\*/,
    );
    const name = await plan({ subject: "欧阳明" });
    expect(name).toContain("cases_subject_name_trgm_idx");
    const short = await plan({ q: "张三" });
    noSeqScan(short);
    expect(short).toContain("cases_subject_name_prefix_idx");
    expect(short).toContain("cases_subject_unit_prefix_idx");
  });
});
