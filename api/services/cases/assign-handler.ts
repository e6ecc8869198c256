import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { cases, staff } from "../../../db/schema/index";
import type { Ctx, StaffActor } from "../../context";
import { problems, workflowFieldError } from "../../errors";
import { appendEvent } from "../events/append";
import { caseNotFound, isUuid, relationTo } from "./scope";

/** The stages a handler (承办人) is assigned at: once the office has accepted the case. */
const ASSIGNABLE = ["registered", "handling"] as const;

export interface AssignHandlerInput {
  caseId: string;
  leaseToken: string;
  /** The handler: a staff id or username of the caller's own office with the handler role. */
  assignee: string;
}

/**
 * 指定承办人: the office's 信访室 (intake) or a supervisor names the handler of an accepted case
 * (batch work, issue 11 §4). Runs in the caller's transaction, with the lease the caller just
 * claimed: a conditional update fenced by office, stage and the live lease, which is let go
 * (the handler takes the case from "my cases"), and a `handler_assigned` event (not public).
 */
export async function assignHandler(ctx: Ctx, tx: Tx, actor: StaffActor, input: AssignHandlerInput) {
  const { deps } = ctx;
  if (!isUuid(input.caseId)) throw caseNotFound();
  const [row] = await tx.select().from(cases).where(eq(cases.id, input.caseId)).for("no key update");
  if (!row) throw caseNotFound();
  const relation = relationTo(deps.offices, actor, row.officeCode);
  if (relation === "none") throw caseNotFound();
  if (relation === "read") throw problems.forbidden("case.read_only");
  if (!actor.roles.includes("intake") && !actor.roles.includes("supervisor")) {
    throw problems.forbidden("case.roles_forbid");
  }
  if (!(ASSIGNABLE as readonly string[]).includes(row.stage)) {
    throw problems.conflict(["case.action_illegal", { action: "assign" }], { allowedActions: [] });
  }
  const who = isUuid(input.assignee) ? eq(staff.id, input.assignee) : eq(staff.username, input.assignee);
  const [handler] = await tx
    .select({ id: staff.id, username: staff.username })
    .from(staff)
    .where(
      and(
        who,
        eq(staff.officeCode, actor.officeCode),
        isNull(staff.disabledAt),
        sql`'handler' = any(${staff.roles})`,
      ),
    )
    .limit(1);
  if (!handler) throw problems.invalid([workflowFieldError("assignee", "assignee.unknown")]);
  const now = deps.now();
  const [updated] = await tx
    .update(cases)
    .set({
      assigneeId: handler.id,
      leaseToken: null,
      leaseHolderId: null,
      leaseExpiresAt: null,
      updatedAt: now,
    })
    .where(
      and(
        eq(cases.id, row.id),
        eq(cases.officeCode, actor.officeCode),
        inArray(cases.stage, [...ASSIGNABLE]),
        eq(cases.leaseToken, input.leaseToken),
        eq(cases.leaseHolderId, actor.id),
        sql`${cases.leaseExpiresAt} > ${now.toISOString()}::timestamptz`,
      ),
    )
    .returning({ id: cases.id });
  if (!updated) throw problems.conflict("case.lease_lost", { reason: "lease" });
  await appendEvent(tx, {
    caseId: row.id,
    kind: "handler_assigned",
    actor: `staff:${actor.username}`,
    officeCode: actor.officeCode,
    isPublic: false,
    at: now,
    data: { assignee: handler.username },
  });
}
