import { z } from "zod";
import { REQUEST_STATUSES } from "./list-requests";
import { MAX_TEXT, MIN_TEXT } from "./request-common";
import { MIN_REASON_LENGTH } from "./unseal";

// Request bodies of 启封 and dual control. The verbs check these fields themselves, after the
// caller's role and scope (a stranger's bad body answers 403, not 422), with these bounds; the
// schemas are what a client should send, as the document shows it.

const text = z.string().min(MIN_TEXT).max(MAX_TEXT);

/** POST /api/v1/staff/cases/{id}/identity: the custodian's vault passphrase and a written reason. */
export const UnsealRequest = z.object({
  passphrase: z.string(),
  reason: z.string().min(MIN_REASON_LENGTH),
});

/** unseal.ts UnsealResult: what intake sealed (the reporter, the text as written). */
export const UnsealResult = z.strictObject({
  caseId: z.uuid(),
  identity: z.record(z.string(), z.unknown()),
  unsealedAt: z.iso.datetime(),
  by: z.string(),
});

export const IdentityRequestCreate = z.object({ purpose: text });

export const IdentityDecisionRequest = z.object({
  decision: z.enum(["approve", "deny"]),
  reason: text,
  passphrase: z
    .string()
    .optional()
    .meta({ description: "the custodian's vault passphrase; required to approve" }),
});

/**
 * `?status=` of the custodians' list; the verb answers 422 `status.invalid` for another value (after
 * the custodian check, so it is not checked here). A repeated parameter counts with its first value.
 */
export const IdentityRequestsQuery = z.object({
  status: z
    .preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().optional())
    .meta({
      enum: REQUEST_STATUSES,
      default: "pending",
      description: "pending (default), approved, denied, expired",
    }),
});

const office = z.strictObject({ code: z.string(), name: z.string() });

/** request-common.ts IdentityRequestView: the request with the sanitized case (no identity). */
export const IdentityRequestView = z.strictObject({
  id: z.uuid(),
  status: z.enum(REQUEST_STATUSES as ["pending", "approved", "denied", "expired"]),
  purpose: z.string(),
  requestedAt: z.iso.datetime(),
  case: z.strictObject({
    id: z.uuid(),
    serial: z.number().int(),
    number: z.string().nullable(),
    title: z.string(),
    office,
    receivedAt: z.iso.datetime(),
  }),
  requester: z.strictObject({ id: z.uuid(), username: z.string(), displayName: z.string(), office }),
  decider: z.strictObject({ id: z.uuid(), username: z.string() }).nullable(),
  decidedAt: z.iso.datetime().nullable(),
  decisionReason: z.string().nullable(),
  expiresAt: z.iso
    .datetime()
    .nullable()
    .meta({ description: "when an approved grant ends (then its details are erased)" }),
});

export const IdentityRequestAnswer = z.strictObject({ request: IdentityRequestView });
export const IdentityRequestList = z.strictObject({ items: z.array(IdentityRequestView) });

/** view-contact.ts: the contact fields a grant keeps (never the ID number), until it expires. */
export const ContactAnswer = z.strictObject({
  contact: z.strictObject({
    name: z.string().optional(),
    phone: z.string().optional(),
    email: z.string().optional(),
    address: z.string().optional(),
  }),
  expiresAt: z.iso.datetime(),
});
