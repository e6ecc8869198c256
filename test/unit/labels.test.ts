// The message catalogue has a label for each of the domain's codes, and no label for a code the
// domain does not have. The typed assignments fail `tsc --noEmit` when a code has no label; the
// key comparisons fail the test when a label has no code (or the domain adds a code at run time).
import { describe, expect, it } from "vitest";
import {
  CATEGORY_CODES,
  type CategoryCode,
  REPORT_TYPES,
  type ReportType,
} from "../../api/domain/categories";
import { CHANNELS, type Channel } from "../../api/domain/channels";
import { CLOCK_RULES, type ClockRuleId } from "../../api/domain/clock-rules";
import {
  SUPERVISION_METHODS,
  type SupervisionMethod,
  TRANSFER_KINDS,
  TRANSFER_STATES,
  TRANSFER_STEP_KINDS,
  type TransferKind,
  type TransferState,
} from "../../api/domain/ledgers";
import {
  PUBLIC_EVENT_KINDS,
  PUBLIC_STATUSES,
  type PublicEventKind,
  type PublicStatus,
} from "../../api/domain/status";
import {
  ACTIONS,
  type Action,
  DISPOSITIONS,
  type DispositionCode,
  FEEDBACK_METHODS,
  type FeedbackMethod,
  FINDINGS,
  type Finding,
  REPORTER_VIEWS,
  type ReporterView,
  STAGES,
  type Stage,
  WORKFLOW,
} from "../../api/domain/workflow";
import type { ClockView } from "../../api/services/clocks/list";
import {
  ACTION_LABELS,
  CATEGORY_LABELS,
  CHANNEL_LABELS,
  CLOCK_COUNTS_FROM_LABELS,
  CLOCK_RULE_LABELS,
  clockRuleLabel,
  DISPOSITION_LABELS,
  eventLabel,
  FEEDBACK_METHOD_LABELS,
  FINDING_LABELS,
  PROVINCE_CLOCK_RULE_LABELS,
  PUBLIC_EVENT_LABELS,
  REPORT_TYPE_LABELS,
  REPORTER_VIEW_LABELS,
  STAGE_LABELS,
  STATUS_LABELS,
  SUPERVISION_METHOD_LABELS,
  stageLabel,
  TRANSFER_CLOSED_LABELS,
  TRANSFER_KIND_LABELS,
  TRANSFER_STATE_LABELS,
} from "../../messages/labels";
import type { Text } from "../../messages/text";

const stages: Record<Stage, Text> = STAGE_LABELS;
const actions: Record<Action, Text> = ACTION_LABELS;
const channels: Record<Channel, Text> = CHANNEL_LABELS;
const dispositions: Record<DispositionCode, Text> = DISPOSITION_LABELS;
const statuses: Record<PublicStatus, Text> = STATUS_LABELS;
const events: Record<PublicEventKind, Text> = PUBLIC_EVENT_LABELS;
const categories: Record<CategoryCode, Text> = CATEGORY_LABELS;
const reportTypes: Record<ReportType, Text> = REPORT_TYPE_LABELS;
const clockRules: Record<ClockRuleId, Text> = CLOCK_RULE_LABELS;
const supervisionMethods: Record<SupervisionMethod, Text> = SUPERVISION_METHOD_LABELS;
const transferKinds: Record<TransferKind, Text> = TRANSFER_KIND_LABELS;
const transferStates: Record<TransferState, Text> = TRANSFER_STATE_LABELS;
const transferClosed: Record<(typeof TRANSFER_STEP_KINDS)[number], Text> = TRANSFER_CLOSED_LABELS;
const findings: Record<Finding, Text> = FINDING_LABELS;
const methods: Record<FeedbackMethod, Text> = FEEDBACK_METHOD_LABELS;
const views: Record<ReporterView, Text> = REPORTER_VIEW_LABELS;
const countsFrom: Record<ClockView["countsFrom"] & string, Text> = CLOCK_COUNTS_FROM_LABELS;

const sorted = (xs: Iterable<string>) => [...xs].sort();

describe("domain labels", () => {
  it.each([
    ["stages", stages, STAGES],
    ["actions", actions, ACTIONS],
    ["channels", channels, CHANNELS],
    ["dispositions", dispositions, DISPOSITIONS],
    ["public statuses", statuses, PUBLIC_STATUSES],
    ["public events", events, PUBLIC_EVENT_KINDS],
    ["supervision methods", supervisionMethods, SUPERVISION_METHODS],
    ["transfer kinds", transferKinds, TRANSFER_KINDS],
    ["transfer states", transferStates, TRANSFER_STATES],
    ["transfer steps", transferClosed, TRANSFER_STEP_KINDS],
    ["categories", categories, CATEGORY_CODES],
    ["report types", reportTypes, REPORT_TYPES],
    ["clock rules", clockRules, CLOCK_RULES.map((r) => r.id)],
    ["findings", findings, FINDINGS],
    ["feedback methods", methods, FEEDBACK_METHODS],
    ["reporter views", views, REPORTER_VIEWS],
    ["clock bases", countsFrom, ["event", "case_received", "event_date"]],
  ] as [string, Record<string, Text>, readonly string[]][])(
    "%s: one label for each code",
    (_, labels, codes) => {
      expect(sorted(Object.keys(labels))).toEqual(sorted(codes));
      for (const label of Object.values(labels)) {
        expect(label.zh).toMatch(/\p{Script=Han}/u);
        expect(label.en).toMatch(/^[A-Z]/);
      }
    },
  );

  it("each reporter-visible event the workflow writes has a label", () => {
    const written = ACTIONS.filter((a) => WORKFLOW[a].publicEvent).map((a) => WORKFLOW[a].event);
    for (const kind of written) expect(PUBLIC_EVENT_KINDS).toContain(kind);
  });

  it("an unknown code is shown as itself; a province's rule by the label it adds", () => {
    expect(stageLabel("handling")).toBe("办理中");
    expect(stageLabel("handling", "en")).toBe("Being handled");
    expect(eventLabel("supervised")).toBe("supervised");
    expect(clockRuleLabel("start_handling")).toEqual({ zh: "start_handling", en: "start_handling" });
    PROVINCE_CLOCK_RULE_LABELS.start_handling = { zh: "受理后启动办理", en: "Start handling" };
    try {
      expect(clockRuleLabel("start_handling").zh).toBe("受理后启动办理");
    } finally {
      delete PROVINCE_CLOCK_RULE_LABELS.start_handling;
    }
  });
});
