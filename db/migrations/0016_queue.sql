-- Issue 13 (queue throughput): the claim's order served by an index, and room on the cases' pages
-- so that a claim (which sets only the lease columns, none of them indexed) is a HOT update.
-- Hand-written (drizzle-kit snapshots stop at 0003). docs/notes-queue.md.
--
-- The claim (api/services/queue/claim.ts) takes the first case of an office, in the stages the
-- claimer's roles work on, in the order real-name first, earliest deadline, oldest, serial. One
-- partial index per set of stages a role mix claims (workflow.ts queueStages: intake; handler;
-- intake and handler together = every active stage), each in exactly that order, so the claim
-- reads the queue's head instead of sorting the office's whole queue (LockRows sits between the
-- sort and the LIMIT, so that sort was a full one, on every claim). The claim writes its stages as
-- literals, so the planner can prove the predicate also for a prepared statement. None of the
-- indexes names a lease column: a claim stays a HOT update.
CREATE INDEX "cases_claim_intake_idx" ON "cases" USING btree ("office_code", "real_name" DESC, "next_due_on" ASC NULLS LAST, "received_at", "serial") WHERE "stage" IN ('received', 'reviewing');--> statement-breakpoint
CREATE INDEX "cases_claim_handler_idx" ON "cases" USING btree ("office_code", "real_name" DESC, "next_due_on" ASC NULLS LAST, "received_at", "serial") WHERE "stage" IN ('registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected');--> statement-breakpoint
CREATE INDEX "cases_claim_active_idx" ON "cases" USING btree ("office_code", "real_name" DESC, "next_due_on" ASC NULLS LAST, "received_at", "serial") WHERE "stage" IN ('received', 'registered', 'handling', 'reviewing', 'awaiting_feedback', 'objected');--> statement-breakpoint
-- 30 % of each new page left free: a case row is updated in place (HOT, no new entry in any of its
-- indexes) only when its new version fits on the same page. Pages written before keep their fill
-- until their rows move; no rewrite here.
ALTER TABLE "cases" SET (fillfactor = 70);
