-- 办理轨迹 is append-only: the database itself refuses to edit or delete an event.
CREATE OR REPLACE FUNCTION qf_refuse_event_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'case_events is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER case_events_append_only
  BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION qf_refuse_event_change();
--> statement-breakpoint
CREATE TRIGGER case_events_no_truncate
  BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION qf_refuse_event_change();
--> statement-breakpoint
-- Counters of hashed keys that expire within a day: losing them in a crash is harmless,
-- so they skip the WAL.
ALTER TABLE rate_limit_hits SET UNLOGGED;
--> statement-breakpoint
ALTER TABLE used_captchas SET UNLOGGED;
