import { z } from "zod";
import { REPORTER_KINDS } from "../../domain/categories";
import { SUPERVISION_METHODS } from "../../domain/ledgers";
import { LIST_PAGE_DEFAULT, LIST_PAGE_MAX } from "../../domain/list-cursor";
import { ACTIONS, type Action, DISPOSITIONS, STAGES } from "../../domain/workflow";
import { nextCursor, PageQuery, pageCursor } from "../lists/schemas";
import { ACTION_BODY, ACTION_FIELDS } from "./inputs";

const office = z.strictObject({ code: z.string(), name: z.string() });
const date = z.iso.date().meta({ description: "an Asia/Shanghai date" });

/** What claim and action answers say about a case (facts.ts CaseSummary); no identity is here. */
export const CaseSummary = z.strictObject({
  id: z.uuid(),
  serial: z.number().int(),
  number: z.string().nullable().meta({
    description: "信访件编号 at the office holding the case, e.g. 长沙〔2026〕第123号 (CASE_NUMBER_PATTERN)",
  }),
  stage: z.string(),
  publicStatus: z.string(),
  type: z.string(),
  category: z.string(),
  realName: z.boolean(),
  title: z.string(),
  office,
  department: z.string().nullable(),
  disposition: z.string().nullable(),
  mergedInto: z.string().nullable(),
  nextDueOn: date.nullable(),
  receivedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

const clockLabel = z.strictObject({ zh: z.string(), en: z.string() });

/** One working-day clock of a case (clocks/list.ts ClockView). */
export const Clock = z.strictObject({
  rule: z.string(),
  label: clockLabel,
  source: z
    .strictObject({ document: z.string(), article: z.string().nullable(), text: z.string() })
    .nullable()
    .meta({ description: "where the rule comes from; null for a rule no longer defined" }),
  countsFrom: z.enum(["event", "case_received", "event_date"]).nullable().meta({
    description: "the day the count started from: the step's, the first receipt, the recorded 办结 date",
  }),
  officeCode: z.string(),
  startedOn: date,
  dueOn: date,
  running: z.boolean(),
  stoppedAt: z.iso.datetime().nullable(),
  daysLeft: z.number().int().nullable(),
  overdue: z.boolean(),
});

/** One 督办 and its reply (ledgers/supervisions.ts SupervisionView). */
export const Supervision = z.strictObject({
  id: z.number().int(),
  at: z.iso.datetime(),
  method: z
    .enum(SUPERVISION_METHODS)
    .meta({ description: "电话督办 phone, 发函督办 letter, 实地督办 onsite" }),
  note: z.string().nullable(),
  byOffice: office,
  toOffice: office,
  department: z.string().nullable().meta({ description: "inside one office: the 承办部门 pressed" }),
  withinOffice: z.boolean(),
  pending: z.boolean().meta({ description: "until the supervised office replies (action respond)" }),
  reply: z.strictObject({ at: z.iso.datetime(), body: z.string(), by: z.string() }).nullable(),
});

/**
 * A likely repeat of a case (repeats/list.ts RepeatView). `office` and `similarity` always; `id`,
 * `number`, `title`, `stage` and `receivedAt` only when the caller may see the other case (`visible`),
 * else null: a lower office learns that the matter was reported at a higher office, not its content.
 */
export const Repeat = z.strictObject({
  match: z.uuid().nullable().meta({
    description:
      "the handle a merge or keep names as `caseId` (also for a case the caller may not see); null for a merge the detector did not find",
  }),
  id: z.uuid().nullable(),
  number: z.string().nullable().meta({ description: "its 信访件编号 at the office holding it" }),
  title: z.string().nullable(),
  office,
  stage: z.enum(STAGES).nullable(),
  similarity: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .meta({ description: "the matter's similarity; null for a merge the detector did not find" }),
  receivedAt: z.iso.datetime().nullable(),
  earlier: z
    .boolean()
    .meta({ description: "received before this case: the case to merge into or keep as a repeat of" }),
  visible: z.boolean(),
  mergedIntoThis: z.boolean(),
});

/** GET /api/v1/staff/cases/{id}: the sanitized case (view.ts StaffCaseView). */
export const StaffCaseView = CaseSummary.extend({
  body: z.string(),
  identityWarnings: z.array(z.string()),
  subject: z
    .strictObject({
      name: z.string(),
      unit: z.string(),
      position: z.string(),
      level: z.string(),
      division: office,
      isDisciplineStaff: z.boolean(),
      isPrincipalLeader: z.boolean(),
    })
    .nullable()
    .meta({ description: "the person reported; null when the report names no one (申诉, some 批评建议)" }),
  reportToCentral: z
    .boolean()
    .meta({ description: "报中央纪委国家监委: about a province office's own staff or 主要负责人" }),
  reporterKind: z.enum(REPORTER_KINDS).nullable().meta({ description: "null when anonymous" }),
  appeal: z
    .strictObject({ decision: z.string(), decidingBody: z.string(), decisionDate: date, office })
    .nullable()
    .meta({ description: "申诉: the decision appealed against (redacted like the body); null otherwise" }),
  routedOffice: office,
  attachmentCount: z.number().int(),
  attachments: z.array(
    z.strictObject({ id: z.uuid(), fileName: z.string(), mediaType: z.string(), size: z.number().int() }),
  ),
  relation: z.enum(["act", "read"]),
  allowedActions: z.array(z.enum(ACTIONS)),
  lease: z.strictObject({
    live: z.boolean(),
    heldByMe: z.boolean(),
    holder: z.string().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    token: z
      .string()
      .nullable()
      .meta({ description: "only for the holder: the fencing token every action carries" }),
  }),
  canClaim: z.boolean(),
  arrivedFrom: z.strictObject({ via: z.string(), office }).nullable(),
  events: z.array(
    z.strictObject({
      seq: z.number().int(),
      at: z.iso.datetime(),
      kind: z.string(),
      actor: z.string(),
      office,
      isPublic: z.boolean(),
      data: z.record(z.string(), z.unknown()),
    }),
  ),
  clocks: z.array(Clock),
  messages: z.array(
    z.strictObject({
      at: z.iso.datetime(),
      from: z.enum(["reporter", "office"]),
      body: z.string(),
      identityWarnings: z.array(z.string()),
      read: z.boolean().meta({ description: "补充材料: false until marked read (office messages: true)" }),
    }),
  ),
  unreadMessages: z.number().int(),
  numbers: z
    .array(z.strictObject({ office, number: z.string() }))
    .meta({ description: "every 信访件编号 the case has had, at each office it arrived at, in order" }),
  joined: z
    .strictObject({
      id: z.uuid().nullable(),
      number: z.string().nullable(),
      title: z.string().nullable(),
      office,
    })
    .nullable()
    .meta({
      description:
        "a repeat: the case it was merged into; id, number and title are null when the caller may not see that case",
    }),
  repeats: z.array(Repeat).meta({
    description:
      "likely repeats (重复件) the detector found, either way round, and the cases merged into this one; what the caller may not see is null",
  }),
  supervisions: z.array(Supervision),
});

/** GET /api/v1/staff/cases/mine (list-mine.ts). */
export const MyCases = z.strictObject({
  cases: z.array(CaseSummary.extend({ held: z.boolean(), leaseExpiresAt: z.iso.datetime().nullable() })),
  nextCursor,
});

/** `?limit=` (1–100, default 50) and `?cursor=` (the previous page's nextCursor). */
export const MyCasesQuery = PageQuery;

/** GET /api/v1/staff/overdue (list-overdue.ts). */
export const OverdueCases = z.strictObject({
  today: date,
  cases: z.array(
    CaseSummary.extend({
      clocks: z.array(
        z.strictObject({ rule: z.string(), label: clockLabel, dueOn: date, daysLeft: z.number().int() }),
      ),
      lastSupervised: z.strictObject({ at: z.iso.datetime(), office }).nullable(),
      canSupervise: z.boolean(),
      supervisionPending: z.boolean(),
    }),
  ),
  nextCursor,
});

/**
 * `?limit=`: a page of at most 100 cases (50 by default); a value that is not a number is the
 * default, a larger one is 100. A repeated parameter counts with its first value, as
 * `c.req.query()` reads it. `?cursor=`: the previous page's nextCursor (422 when it is not one).
 */
export const OverdueQuery = z.object({
  limit: z
    .preprocess((v) => (Array.isArray(v) ? v[0] : v), z.coerce.number().catch(LIST_PAGE_DEFAULT))
    .meta({ type: "integer", default: LIST_PAGE_DEFAULT, maximum: LIST_PAGE_MAX }),
  cursor: pageCursor,
});

/**
 * POST /api/v1/staff/cases/{id}/actions: one member per action, chosen by `action`, with the lease
 * token where the action needs one and its own fields: the schema the verb parses with (inputs.ts).
 */
export const ActionRequest = ACTION_BODY.meta({ description: `dispositions: ${DISPOSITIONS.join(", ")}` });

/** actOnCase's answer (act.ts ActResult). */
export const ActResult = z.strictObject({
  case: CaseSummary,
  leaseExpiresAt: z.iso.datetime().nullable().meta({ description: "null when the lease was let go" }),
});

/** A field of an action's form: its name, and whether it may be left empty (then it is left out). */
export interface ActionFormField {
  name: string;
  optional: boolean;
}

/** The fields of each action's form, as plain data, for the console (site/components/staff/case-post.ts). */
export const ACTION_FORM_FIELDS = Object.fromEntries(
  ACTIONS.map((a) => [
    a,
    Object.entries(ACTION_FIELDS[a] as z.ZodRawShape).map(
      ([name, schema]): ActionFormField => ({ name, optional: z.safeParse(schema, undefined).success }),
    ),
  ]),
) as Record<Action, ActionFormField[]>;
