import { eq } from "drizzle-orm";
import type { Tx } from "../../../db/client";
import { cases } from "../../../db/schema/index";
import type { Ctx } from "../../context";
import { clockRulesFor } from "../../domain/clock-rules";
import { applyClockRules } from "./apply-rules";

/**
 * Starts the clocks a new case runs from intake (e.g. 15 working days to tell a real-name
 * reporter whether it is accepted). Called by intake inside its transaction, after the
 * `received` event.
 */
export async function startIntakeClocks(
  ctx: Ctx,
  tx: Tx,
  a: { caseId: string; realName: boolean; officeCode: string; receivedAt: Date },
): Promise<void> {
  const [row] = await tx.select({ type: cases.type }).from(cases).where(eq(cases.id, a.caseId));
  await applyClockRules(
    tx,
    clockRulesFor(ctx.deps.config.province),
    { caseId: a.caseId, kind: "received", at: a.receivedAt, officeCode: a.officeCode },
    {
      realName: a.realName,
      disposition: null,
      officeLevel: ctx.deps.offices.get(a.officeCode)?.level ?? "county",
      type: row?.type ?? "",
    },
  );
}
