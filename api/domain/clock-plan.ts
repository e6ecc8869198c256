// Planning the clocks an event starts and stops, without I/O, so a verb can write the clock rows
// and cases.next_due_on in the same statement as the event (intake, case actions).
import { addWorkingDays, isIsoDate, shanghaiDate } from "./clock";
import { type ClockFacts, type ClockRule, ruleApplies, startKinds } from "./clock-rules";

export interface PlannedEvent {
  kind: string;
  at: Date;
  data?: Record<string, unknown>;
  /** When the report was first received by any office (cases.received_at). */
  caseReceivedAt: Date;
  /**
   * The case's handling ends (workflow.ts endsHandling): every running clock stops, and only the
   * clocks this event starts run on.
   */
  stopAll?: boolean;
}

export interface ClockPlan {
  /**
   * The running clocks that stop: all of them; or those of the rules in `rules`, and those of the
   * rules in `officeRules` that run at the office the case is at before the event.
   */
  stop: "all" | { rules: string[]; officeRules: string[] };
  /** Clocks that start, each running from `startedOn` to `dueOn` (Asia/Shanghai dates). */
  start: { rule: string; startedOn: string; dueOn: string }[];
  /** True when the plan changes the running clocks, so cases.next_due_on must be recomputed. */
  changes: boolean;
}

const eventDate = (rule: ClockRule, event: PlannedEvent, field: string): string => {
  const v = event.data?.[field];
  if (typeof v !== "string" || !isIsoDate(v)) throw new Error(`clock ${rule.id}: event has no date ${field}`);
  return v;
};

/**
 * Which clocks an event stops and starts: a rule stops on the kinds in its `stopsOn` (a rule that
 * both stops and starts on the same kind restarts, at the office the case moves to), starts on its
 * `startsOn` kinds when it applies to the case's facts as they stand right after the event. Throws
 * when a date must come from the event and the event has none (a programming error: the action's
 * fields guarantee it).
 */
export function planClockRules(rules: ClockRule[], event: PlannedEvent, facts: ClockFacts): ClockPlan {
  let stop: ClockPlan["stop"] = "all";
  if (!event.stopAll) {
    const stopping = rules.filter((r) => r.stopsOn.includes(event.kind));
    stop = {
      rules: stopping.filter((r) => r.stopScope !== "office").map((r) => r.id),
      officeRules: stopping.filter((r) => r.stopScope === "office").map((r) => r.id),
    };
  }
  const start = rules
    .filter((r) => startKinds(r).includes(event.kind) && ruleApplies(r, facts))
    .map((rule) => {
      const from = rule.countsFrom ?? "event";
      const startedOn =
        from === "event"
          ? shanghaiDate(event.at)
          : from === "case_received"
            ? shanghaiDate(event.caseReceivedAt)
            : eventDate(rule, event, from.eventDate);
      const dueOn =
        "workingDays" in rule.due
          ? addWorkingDays(startedOn, rule.due.workingDays)
          : eventDate(rule, event, rule.due.eventDate);
      return { rule: rule.id, startedOn, dueOn };
    });
  const stops = stop === "all" || stop.rules.length > 0 || stop.officeRules.length > 0;
  return { stop, start, changes: stops || start.length > 0 };
}

/** The earliest due date among the clocks a plan starts (null when it starts none). */
export function earliestStart(plan: ClockPlan): string | null {
  let min: string | null = null;
  for (const c of plan.start) if (min === null || c.dueOn < min) min = c.dueOn;
  return min;
}
