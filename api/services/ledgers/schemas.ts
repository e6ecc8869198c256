import { z } from "zod";
import { TRANSFER_KINDS, TRANSFER_STATES } from "../../domain/ledgers";
import { Supervision } from "../cases/schemas";
import { nextCursor, pageCursor, pageLimit } from "../lists/schemas";

const office = z.strictObject({ code: z.string(), name: z.string() });
const date = z.iso.date().meta({ description: "an Asia/Shanghai date" });

/** `?open=1`: only the sends the receiver has not yet decided. */
export const SentQuery = z.object({
  open: z
    .preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().optional())
    .transform((v) => v === "1")
    .meta({ type: "string", enum: ["1"] }),
  limit: pageLimit,
  cursor: pageCursor,
});

/** GET /api/v1/staff/ledger/sent (list-sent.ts). */
export const SentLedger = z.strictObject({
  today: date,
  items: z.array(
    z.strictObject({
      id: z.number().int(),
      kind: z.enum(TRANSFER_KINDS).meta({ description: "转送 forwarded, 交办 assigned, 报送 escalated" }),
      sentAt: z.iso.datetime(),
      sentBy: z.string(),
      to: office,
      dueOn: date.meta({ description: "签收 and 受理 due (5 working days)" }),
      reportDueOn: date.nullable().meta({ description: "交办: the result report is due" }),
      state: z
        .enum(TRANSFER_STATES)
        .meta({ description: "待签收 pending, 已签收 claimed, 已受理 registered, closed" }),
      claimedAt: z.iso.datetime().nullable(),
      registeredAt: z.iso.datetime().nullable(),
      closedAt: z.iso.datetime().nullable(),
      closedKind: z.string().nullable(),
      overdue: z.enum(["receipt", "report"]).nullable(),
      case: z.strictObject({
        id: z.uuid(),
        number: z.string().nullable().meta({ description: "the sending office's 信访件编号" }),
        receiverNumber: z.string().nullable(),
        title: z.string(),
        stage: z.string(),
        office,
        canOpen: z.boolean(),
      }),
    }),
  ),
  nextCursor,
});

/** `?direction=sent` for the 督办 the office made; anything else: those it received. */
export const SupervisionQuery = z.object({
  direction: z
    .preprocess((v) => (Array.isArray(v) ? v[0] : v), z.string().optional())
    .transform((v): "received" | "sent" => (v === "sent" ? "sent" : "received"))
    .meta({ type: "string", enum: ["received", "sent"], default: "received" }),
  limit: pageLimit,
  cursor: pageCursor,
});

/** GET /api/v1/staff/supervisions (supervisions.ts). */
export const SupervisionList = z.strictObject({
  supervisions: z.array(
    Supervision.extend({
      case: z.strictObject({ id: z.uuid(), number: z.string().nullable(), title: z.string(), office }),
    }),
  ),
  nextCursor,
});
