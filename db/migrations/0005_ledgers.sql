-- Ledgers the offices need (issue 10 §5): 信访件编号 per office and year, the sending office's
-- 转送/交办 ledger, 督办 with its type and the supervised office's reply, and read marks on the
-- reporter's 补充材料. Hand-written like 0003/0004 (no snapshot).
--
-- The office's short name goes in front of its numbers (长沙〔2026〕第123号); the app fills it
-- from the division tree at start (api/bootstrap/offices.ts).
ALTER TABLE "offices" ADD COLUMN "short_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- One counter row per office and year. Allocating a number bumps it in the same transaction as the
-- case's arrival, so concurrent arrivals queue on the row lock: no gap, no duplicate.
CREATE TABLE "case_number_counters" (
	"office_code" text NOT NULL,
	"year" integer NOT NULL,
	"last_seq" integer NOT NULL,
	CONSTRAINT "case_number_counters_office_code_year_pk" PRIMARY KEY("office_code","year")
);
--> statement-breakpoint
ALTER TABLE "case_number_counters" ADD CONSTRAINT "case_number_counters_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A case's number at each office it arrived at (the intake office, then each receiver of a
-- 转送/交办/报送). A case that comes back to an office keeps the number it had there.
CREATE TABLE "case_numbers" (
	"case_id" uuid NOT NULL,
	"office_code" text NOT NULL,
	"year" integer NOT NULL,
	"seq" integer NOT NULL,
	"assigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "case_numbers_case_id_office_code_pk" PRIMARY KEY("case_id","office_code")
);
--> statement-breakpoint
ALTER TABLE "case_numbers" ADD CONSTRAINT "case_numbers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "case_numbers_office_year_seq_idx" ON "case_numbers" USING btree ("office_code","year","seq");--> statement-breakpoint
-- 转送/交办/报送 as the sending office keeps them: one row per send, closed by the receiver's
-- first decisive step (受理 marks it registered; 不予受理, 退回, a further send, 合并 or 办结
-- close it). 签收 is the receiver's first claim.
CREATE TABLE "case_transfers" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_transfers_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"event_seq" integer NOT NULL,
	"from_office" text NOT NULL,
	"to_office" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"sent_by" text NOT NULL,
	"due_on" date NOT NULL,
	"report_due_on" date,
	"claimed_at" timestamp with time zone,
	"registered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_kind" text,
	CONSTRAINT "case_transfers_kind_check" CHECK ("case_transfers"."kind" in ('forwarded', 'assigned', 'escalated'))
);
--> statement-breakpoint
ALTER TABLE "case_transfers" ADD CONSTRAINT "case_transfers_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_transfers_from_idx" ON "case_transfers" USING btree ("from_office","sent_at");--> statement-breakpoint
CREATE INDEX "case_transfers_open_idx" ON "case_transfers" USING btree ("case_id") WHERE "case_transfers"."closed_at" is null;--> statement-breakpoint
-- 督办: who pressed whom (an office above, or the office's own 信访室 pressing its 承办部门), how
-- (电话/发函/实地), and the supervised office's reply; pending on both sides until it is given.
CREATE TABLE "case_supervisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_supervisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"event_seq" integer NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"by_office" text NOT NULL,
	"by_actor" text NOT NULL,
	"to_office" text NOT NULL,
	"department" text,
	"within_office" boolean NOT NULL,
	"method" text NOT NULL,
	"note" text,
	"replied_at" timestamp with time zone,
	"reply" text,
	"replied_by" text,
	"reply_event_seq" integer,
	CONSTRAINT "case_supervisions_method_check" CHECK ("case_supervisions"."method" in ('phone', 'letter', 'onsite'))
);
--> statement-breakpoint
ALTER TABLE "case_supervisions" ADD CONSTRAINT "case_supervisions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_supervisions_case_idx" ON "case_supervisions" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_supervisions_to_idx" ON "case_supervisions" USING btree ("to_office","at");--> statement-breakpoint
CREATE INDEX "case_supervisions_by_idx" ON "case_supervisions" USING btree ("by_office","at");--> statement-breakpoint
-- 补充材料 stay unread until a staff member of the holding office marks them read. Messages from
-- before this migration start unread: nothing a reporter sent may be taken as seen unseen.
ALTER TABLE "case_messages" ADD COLUMN "read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_messages" ADD COLUMN "read_by" uuid;--> statement-breakpoint
CREATE INDEX "case_messages_unread_idx" ON "case_messages" USING btree ("case_id") WHERE "case_messages"."sender" = 'reporter' and "case_messages"."read_at" is null;--> statement-breakpoint
-- The kept case lists its repeats.
CREATE INDEX "cases_merged_into_idx" ON "cases" USING btree ("merged_into") WHERE "cases"."merged_into" is not null;--> statement-breakpoint
-- Numbers for the cases already here: at every office each case arrived at (its intake office,
-- each receiver of a send, the office holding it now), in order of arrival within the office's
-- year (Asia/Shanghai: UTC+8, no daylight saving since 1991).
INSERT INTO "case_numbers" ("case_id", "office_code", "year", "seq", "assigned_at")
SELECT a.case_id, a.office_code, a.year,
       row_number() OVER (PARTITION BY a.office_code, a.year ORDER BY a.arrived, a.case_id),
       a.arrived
FROM (
  SELECT x.case_id, x.office_code, min(x.at) AS arrived,
         extract(year FROM (min(x.at) AT TIME ZONE 'UTC') + interval '8 hours')::int AS year
  FROM (
    SELECT c.id AS case_id, c.routed_office_code AS office_code, c.received_at AS at FROM cases c
    UNION ALL
    SELECT e.case_id, e.data->>'to', e.at FROM case_events e
      WHERE e.kind IN ('forwarded', 'assigned', 'escalated', 'returned') AND e.data->>'to' IS NOT NULL
    UNION ALL
    SELECT c.id, c.office_code, c.updated_at FROM cases c
  ) x
  WHERE EXISTS (SELECT 1 FROM offices o WHERE o.code = x.office_code)
  GROUP BY x.case_id, x.office_code
) a;--> statement-breakpoint
INSERT INTO "case_number_counters" ("office_code", "year", "last_seq")
SELECT "office_code", "year", max("seq") FROM "case_numbers" GROUP BY "office_code", "year";--> statement-breakpoint
-- The ledger of the sends already made: due 5 working days after sending (approximated here by 7
-- calendar days, or the 登记受理 clock the send started), closed by the receiver's first decisive
-- step at the receiving office; 签收 is taken as the time of that step.
INSERT INTO "case_transfers" ("case_id", "kind", "event_seq", "from_office", "to_office", "sent_at", "sent_by",
  "due_on", "report_due_on", "claimed_at", "registered_at", "closed_at", "closed_kind")
SELECT e.case_id, e.kind, e.seq, e.data->>'from', e.data->>'to', e.at, e.actor,
       coalesce(
         (SELECT k.due_on FROM case_clocks k WHERE k.case_id = e.case_id AND k.rule = 'register_forwarded'
            AND k.started_on = ((e.at AT TIME ZONE 'UTC') + interval '8 hours')::date ORDER BY k.id LIMIT 1),
         ((e.at AT TIME ZONE 'UTC') + interval '8 hours')::date + 7),
       CASE WHEN e.kind = 'assigned' AND (e.data->>'dueOn') ~ '^\d{4}-\d{2}-\d{2}$' THEN (e.data->>'dueOn')::date END,
       coalesce(reg.at, fin.at),
       reg.at,
       fin.at,
       fin.kind
FROM case_events e
LEFT JOIN LATERAL (
  SELECT r.at FROM case_events r
  WHERE r.case_id = e.case_id AND r.seq > e.seq AND r.office_code = e.data->>'to' AND r.kind = 'registered'
    AND NOT EXISTS (SELECT 1 FROM case_events m WHERE m.case_id = e.case_id AND m.seq > e.seq AND m.seq < r.seq
                    AND m.kind IN ('forwarded', 'assigned', 'escalated', 'returned'))
  ORDER BY r.seq LIMIT 1
) reg ON true
LEFT JOIN LATERAL (
  SELECT f.at, f.kind FROM case_events f
  WHERE f.case_id = e.case_id AND f.seq > e.seq AND f.office_code = e.data->>'to'
    AND f.kind IN ('declined', 'returned', 'forwarded', 'assigned', 'escalated', 'merged', 'concluded')
  ORDER BY f.seq LIMIT 1
) fin ON true
WHERE e.kind IN ('forwarded', 'assigned', 'escalated') AND e.data->>'from' IS NOT NULL AND e.data->>'to' IS NOT NULL;--> statement-breakpoint
-- A counter only ever starts at 1 and steps by one: nobody (an app bug, a leaked credential) can
-- make a number jump or come round again.
CREATE OR REPLACE FUNCTION qf_counter_steps_by_one() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' AND NEW.last_seq = 1 THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND NEW.office_code = OLD.office_code AND NEW.year = OLD.year
     AND NEW.last_seq = OLD.last_seq + 1 THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'case_number_counters only step by one' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER case_number_counters_step
  BEFORE INSERT OR UPDATE OR DELETE ON case_number_counters
  FOR EACH ROW EXECUTE FUNCTION qf_counter_steps_by_one();
--> statement-breakpoint
-- A number once given is never changed or taken back.
CREATE OR REPLACE FUNCTION qf_refuse_number_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'case_numbers is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER case_numbers_append_only
  BEFORE UPDATE OR DELETE ON case_numbers
  FOR EACH ROW EXECUTE FUNCTION qf_refuse_number_change();
