import type { Deps, StaffActor } from "../../api/context";
import { Problem } from "../../api/errors";
import { actOnCase } from "../../api/services/cases/act";
import { claimNext } from "../../api/services/queue/claim";

const ctxOf = (deps: Deps, actor: StaffActor, i: number) => ({
  deps,
  actor,
  requestId: `bench-${actor.username}-${i}`,
});

/**
 * The project's queue verbs, in-process: each worker (one staff member of the office) loops
 * claim → register (受理, presenting the lease token) until claim answers that the office's queue
 * is empty. Returns the number of cases completed.
 */
export async function drainWithQueueVerbs(deps: Deps, actors: StaffActor[]): Promise<number> {
  let done = 0;
  await Promise.all(
    actors.map(async (actor) => {
      for (let i = 0; ; i++) {
        const ctx = ctxOf(deps, actor, i);
        const claim = await claimNext({ ctx, input: {} });
        if (!claim) return;
        await actOnCase({
          ctx,
          input: { caseId: claim.case.id, body: { action: "register", leaseToken: claim.leaseToken } },
        });
        done++;
      }
    }),
  );
  return done;
}

/**
 * Fencing is on: a completing action with a token other than the claim's is refused (409) and
 * changes nothing. Claims one case, tries a forged token, then lets the case go with the real one.
 */
export async function assertFencing(deps: Deps, actor: StaffActor): Promise<void> {
  const ctx = ctxOf(deps, actor, -1);
  const claim = await claimNext({ ctx, input: {} });
  if (!claim) throw new Error("fencing check: the queue is empty");
  const forged = "00000000-0000-4000-8000-000000000000";
  let refused = false;
  try {
    await actOnCase({
      ctx,
      input: { caseId: claim.case.id, body: { action: "register", leaseToken: forged } },
    });
  } catch (e) {
    refused = e instanceof Problem && e.status === 409;
    if (!refused) throw e;
  }
  if (!refused) throw new Error("fencing check: register with a forged lease token was accepted");
  await actOnCase({
    ctx,
    input: { caseId: claim.case.id, body: { action: "release", leaseToken: claim.leaseToken } },
  });
}
