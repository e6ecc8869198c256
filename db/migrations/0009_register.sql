-- Issue 11 §1: the register (信访件台账). Search over the sanitised text (被反映人, 单位, 标题, 正文)
-- with pg_trgm: Chinese has no spaces to stem, so it is ILIKE '%…%' on trigram GIN indexes (PGlite
-- ships pg_trgm too; db/client.ts loads it). Trigrams need 3 characters: a 1–2 character query (a
-- two-character name is common) goes by prefix on the subject key and the unit instead, through the
-- text_pattern_ops indexes below (and by the subject key, migration 0010's index, for
-- a name typed with spaces or brackets). The btree indexes serve the register's keyset orders per office
-- (and across offices, for a supervisor who sees every office below). Hand-written.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX "cases_register_text_trgm_idx" ON "cases" USING gin ((coalesce("subject_name", '') || ' ' || coalesce("subject_unit", '') || ' ' || "title" || ' ' || "body") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_subject_name_trgm_idx" ON "cases" USING gin ("subject_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_subject_unit_trgm_idx" ON "cases" USING gin ("subject_unit" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_subject_name_prefix_idx" ON "cases" USING btree ("subject_name" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_subject_unit_prefix_idx" ON "cases" USING btree ("subject_unit" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_register_received_idx" ON "cases" USING btree ("office_code","received_on","serial");--> statement-breakpoint
CREATE INDEX "cases_register_received_all_idx" ON "cases" USING btree ("received_on","serial");--> statement-breakpoint
CREATE INDEX "cases_register_due_idx" ON "cases" USING btree ("office_code",(coalesce("next_due_on", '9999-12-31'::date)),"serial");--> statement-breakpoint
CREATE INDEX "cases_register_due_all_idx" ON "cases" USING btree ((coalesce("next_due_on", '9999-12-31'::date)),"serial");
