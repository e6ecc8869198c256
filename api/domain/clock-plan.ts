// Planning the clocks an event starts and stops, without I/O, so a verb can write the clock rows
// and cases.next_due_on in the same statement as the event (intake, case actions).
import { addWorkingDays, isIsoDate, shanghaiDate } from "./clock";
import { type ClockFacts, type ClockRule, ruleApplies } from "./clock-rules";

export interface PlannedEvent {
  kind: string;
  at: Date;
  data?: Record<string, unknown>;
  /** The case reached a terminal stage: every running clock stops and none starts. */
  terminal?: boolean;
}

export interface ClockPlan {
  /** Rule ids whose running clocks stop; "all" on a terminal event. */
  stop: string[] | "all";
  /** Clocks that start, each running from `startedOn` to `dueOn` (Asia/Shanghai dates). */
  start: { rule: string; startedOn: string; dueOn: string }[];
  /** True when the plan changes the running clocks, so cases.next_due_on must be recomputed. */
  changes: boolean;
}

/**
 * Which clocks an event stops and starts: a rule stops on the kinds in its `stopsOn` (a rule that
 * both stops and starts on the same kind restarts), starts on `startsOn` when it applies to the
 * case's facts as they stand right after the event. Throws when a rule's due date must come from
 * the event and the event has none (a programming error: the action's fields guarantee it).
 */
export function planClockRules(rules: ClockRule[], event: PlannedEvent, facts: ClockFacts): ClockPlan {
  if (event.terminal) return { stop: "all", start: [], changes: true };
  const stop = rules.filter((r) => r.stopsOn.includes(event.kind)).map((r) => r.id);
  const startedOn = shanghaiDate(event.at);
  const start = rules
    .filter((r) => r.startsOn === event.kind && ruleApplies(r, facts))
    .map((rule) => {
      let dueOn: string;
      if ("workingDays" in rule.due) {
        dueOn = addWorkingDays(startedOn, rule.due.workingDays);
      } else {
        const v = event.data?.[rule.due.eventDate];
        if (typeof v !== "string" || !isIsoDate(v))
          throw new Error(`clock ${rule.id}: event has no date ${rule.due.eventDate}`);
        dueOn = v;
      }
      return { rule: rule.id, startedOn, dueOn };
    });
  return { stop, start, changes: stop.length > 0 || start.length > 0 };
}

/** The earliest due date among the clocks a plan starts (null when it starts none). */
export function earliestStart(plan: ClockPlan): string | null {
  let min: string | null = null;
  for (const c of plan.start) if (min === null || c.dueOn < min) min = c.dueOn;
  return min;
}
