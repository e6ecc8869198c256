-- Clocks as the rules set them (issue 10 §2, and the 异议 of §5). Hand-written like 0003/0004 (no
-- snapshot); the new stages, actions and event kinds are text codes (Drizzle `text({ enum })`), so
-- no column changes.
--
-- The 反馈 clock (result_notice) used to start when 予以了结 was chosen, for every case; it now
-- starts at 办结 of a real-name 检举控告 only. Any still running was started by the old rule on a
-- case not yet concluded: stop it, and recompute those cases' next deadline.
UPDATE "case_clocks" SET "stopped_at" = now() WHERE "rule" = 'result_notice' AND "stopped_at" IS NULL;--> statement-breakpoint
UPDATE "cases" c SET "next_due_on" = (
  SELECT min(k."due_on") FROM "case_clocks" k WHERE k."case_id" = c."id" AND k."stopped_at" IS NULL
)
WHERE c."id" IN (SELECT "case_id" FROM "case_clocks" WHERE "rule" = 'result_notice');--> statement-breakpoint
-- 异议 after 办结: a reporter's message on a concluded case reopens it for 核查 (stage objected).
-- The public host's role may change no column of cases but updated_at (db/roles.ts); this function
-- (owner's rights) is the one narrow step it may take, and only from concluded to objected.
CREATE OR REPLACE FUNCTION qf_reopen_on_objection(p_case uuid, p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE cases SET stage = 'objected', updated_at = p_at WHERE id = p_case AND stage = 'concluded';
  RETURN FOUND;
END;
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION qf_reopen_on_objection(uuid, timestamptz) FROM PUBLIC;
