import type { Tx } from "../../../db/client";
import type { Ctx } from "../../context";

/** Starts the clocks a new case runs from intake (e.g. 15 working days to tell a real-name reporter). */
export async function startIntakeClocks(
  _ctx: Ctx,
  _tx: Tx,
  _a: { caseId: string; realName: boolean; officeCode: string; receivedAt: Date },
): Promise<void> {}
