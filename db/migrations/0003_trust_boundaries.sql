-- The audit log becomes one global hash chain, like each case's trail (api/services/audit/append.ts):
-- hash = BLAKE2b-256(prev_hash || canonical JSON of the row), seq 1, 2, 3, … without gaps.
ALTER TABLE "audit_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "prev_hash" "bytea";--> statement-breakpoint
ALTER TABLE "audit_log" ADD COLUMN "hash" "bytea";--> statement-breakpoint
CREATE UNIQUE INDEX "audit_log_seq_idx" ON "audit_log" USING btree ("seq");--> statement-breakpoint
-- Rows written before this migration have no hash yet; the migrate step chains them (in id order,
-- once) and this small index finds them. NOT VALID: the check binds every row written from now on
-- without failing on those old rows.
CREATE INDEX "audit_log_unchained_idx" ON "audit_log" USING btree ("id") WHERE "hash" IS NULL;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_chained" CHECK ("seq" IS NOT NULL AND "hash" IS NOT NULL) NOT VALID;--> statement-breakpoint
-- Append-only like case_events (0001). The one update allowed: giving a pre-0003 row (hash still
-- null) its chain columns, changing nothing else.
CREATE OR REPLACE FUNCTION qf_refuse_audit_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.hash IS NULL
       AND (NEW.id, NEW.at, NEW.actor, NEW.action, NEW.case_id, NEW.reason, NEW.data)
           IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor, OLD.action, OLD.case_id, OLD.reason, OLD.data) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION qf_refuse_audit_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION qf_refuse_audit_change();
--> statement-breakpoint
-- The database roles `admin db roles` set up (runtime: the staff/all app; public: APP_ROLE=public),
-- so `admin migrate` can re-apply their grants after every migration (db/roles.ts).
CREATE TABLE "db_roles" (
	"purpose" text PRIMARY KEY NOT NULL,
	"role_name" text NOT NULL
);
