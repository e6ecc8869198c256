import { z } from "zod";
import { CATEGORY_CODES, REPORT_TYPES } from "../../domain/categories";
import { CHANNELS } from "../../domain/channels";
import { MANAGEMENT_LEVELS } from "../../domain/routing";
import { PUBLIC_STATUSES } from "../../domain/status";
import { DISPOSITIONS, FINDINGS, STAGES } from "../../domain/workflow";

// 党风廉政意见回复 (issue 12 §4): the five-year person history and the person records. Bodies are
// parsed by the verbs (api/services/persons/inputs.ts: permission first, then the fields); these
// schemas describe them in /api/v1/openapi.json and check the answers in the tests.

export const PersonHistorySearch = z.object({
  name: z
    .string()
    .max(50)
    .meta({ description: "被反映人's name as the request gives it (2 characters at least)" }),
  unit: z.string().max(200).meta({ description: "their 单位 (简称 and full names both match)" }),
  idNumber: z.string().optional().meta({
    description:
      "their 身份证号 when the request gives it: matched against person records by a keyed hash; never stored, logged or audited as such",
  }),
  purpose: z
    .string()
    .min(4)
    .max(500)
    .meta({ description: "what the answer is for (e.g. 拟提拔考察), required" }),
  requester: z
    .string()
    .min(2)
    .max(200)
    .meta({ description: "the requesting body (e.g. 省委组织部干部一处), required" }),
  reference: z
    .string()
    .max(200)
    .optional()
    .meta({ description: "the request's 文号 (e.g. 湘组干函〔2026〕158号)" }),
});

const Office = z.strictObject({ code: z.string(), name: z.string() });

export const HistoryCase = z.strictObject({
  id: z.string(),
  /** 信访件编号 at the office holding it. */
  number: z.string().nullable(),
  office: Office,
  receivedOn: z.string().meta({ format: "date" }),
  channel: z.enum(CHANNELS),
  type: z.enum(REPORT_TYPES),
  category: z.enum(CATEGORY_CODES),
  title: z.string(),
  subject: z.strictObject({
    name: z.string(),
    unit: z.string(),
    position: z.string(),
    level: z.enum(MANAGEMENT_LEVELS).nullable(),
  }),
  stage: z.enum(STAGES),
  publicStatus: z.enum(PUBLIC_STATUSES),
  disposition: z.enum(DISPOSITIONS).nullable(),
  outcome: z
    .strictObject({
      finding: z.enum(FINDINGS).nullable(),
      result: z.string(),
      concludedOn: z.string().nullable(),
    })
    .nullable()
    .meta({ description: "the last 办结: what it found, the result, the day" }),
  /** Confirmed by staff to be the person (person_links), whatever the spelling. */
  linkedTo: z.string().nullable().meta({ description: "the person record this case is linked to, if any" }),
  /** Why a possible match is not in the history: the same name at another unit, or no unit. */
  why: z.enum(["name_and_unit", "linked", "same_name_other_unit"]),
});

export const PersonView = z.strictObject({
  id: z.string(),
  name: z.string(),
  unit: z.string(),
  /** Whether a 身份证号 is on record (its keyed hash); the number is never answered. */
  hasIdNumber: z.boolean(),
  createdAt: z.string(),
});

export const PersonHistoryAnswer = z.strictObject({
  request: z.strictObject({
    id: z.string(),
    at: z.string(),
    purpose: z.string(),
    requester: z.string(),
    reference: z.string().nullable(),
    name: z.string(),
    unit: z.string(),
    idGiven: z.boolean(),
    windowFrom: z.string().meta({ format: "date", description: "five years back from the search" }),
    office: Office,
    truncated: z.boolean().meta({
      description: "more cases bore the name than one search reads: the oldest were not looked at",
    }),
  }),
  persons: z.array(PersonView),
  history: z
    .array(HistoryCase)
    .meta({ description: "the person's 信访件, newest first: what the 回复意见 lists" }),
  possible: z
    .array(HistoryCase)
    .meta({ description: "the same name elsewhere: not in the 回复意见 until staff link it to the person" }),
  draftUrl: z.string().meta({ description: "the printable 回复意见 draft (A4, no scripts)" }),
});

export const PersonCreate = z.object({
  name: z.string().max(50),
  unit: z.string().max(200),
  idNumber: z.string().optional().meta({ description: "stored only as a keyed hash" }),
});

export const PersonAnswer = z.strictObject({ person: PersonView });

export const LinkCreate = z.object({
  caseId: z.string().meta({ format: "uuid", description: "the case whose 被反映人 is this person" }),
});

export const LinkView = z.strictObject({
  personId: z.string(),
  caseId: z.string(),
  linkedBy: z.string(),
  linkedAt: z.string(),
  unlinkedBy: z.string().nullable(),
  unlinkedAt: z.string().nullable(),
});

export const LinkAnswer = z.strictObject({ link: LinkView });
