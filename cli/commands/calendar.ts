import fs from "node:fs";
import { problems } from "../../api/errors";
import { loadCalendarNotice } from "../../api/services/calendar/load";
import { ensureBuiltInYears, loadWorkCalendar } from "../../api/services/calendar/store";
import { command, UsageError } from "../command";

// `calendar load FILE` and `calendar show YEAR` (docs/calendar.md).

const WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

function onePositional(args: { positionals: string[] }, what: string): string {
  if (args.positionals.length !== 1) throw new UsageError(`expected ${what}`);
  return args.positionals[0];
}

export const calendarLoadCommand = command({
  usage: "calendar load FILE",
  summary:
    "load a year's State Council holiday notice (JSON, see docs/calendar.md) as its official calendar; recomputes running deadlines",
  options: {},
  positionals: true,
  async run(ctx, args) {
    const file = onePositional(args, "the notice file (JSON)");
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
      const code = (e as { code?: string }).code;
      throw code ? new UsageError(`cannot read ${file} (${code})`) : problems.malformed("file.not_json");
    }
    const c = await ctx.ctx();
    await ensureBuiltInYears(c.deps.db);
    const r = await loadCalendarNotice({ ctx: c, input: raw });
    ctx.out(
      `loaded ${r.year}: official (was ${r.previousStatus}), ${r.holidays} holidays, ${r.workdays} make-up workdays`,
    );
    ctx.out(`recomputed ${r.recomputed.length} running deadline(s)`);
    for (const k of r.recomputed) ctx.out(`  case ${k.caseId} ${k.rule}: ${k.previousDueOn} → ${k.dueOn}`);
  },
});

export const calendarShowCommand = command({
  usage: "calendar show YEAR",
  summary: "print a year's holidays and make-up workdays and whether it is official or provisional",
  options: {},
  positionals: true,
  async run(ctx, args) {
    const y = onePositional(args, "a year, e.g. 2027");
    const year = Number(y);
    if (!/^\d{4}$/.test(y)) throw new UsageError(`not a year: ${y}`);
    const deps = await ctx.deps();
    await ensureBuiltInYears(deps.db);
    const cal = await loadWorkCalendar(deps.db);
    if (cal.status(year) === "official") ctx.out(`${year}: official — ${cal.source(year)}`);
    else {
      ctx.out(
        `${year}: PROVISIONAL — statutory holidays only (全国年节及纪念日放假办法), no 调休 make-up workdays; load the State Council's notice with: npm run admin -- calendar load FILE`,
      );
    }
    for (const d of cal.daysOfYear(year)) {
      const w = WEEKDAYS[new Date(`${d.date}T00:00:00Z`).getUTCDay()];
      ctx.out(`${d.date} ${w} ${d.kind === "holiday" ? "放假 holiday" : "上班 workday"} ${d.name}`);
    }
  },
});
