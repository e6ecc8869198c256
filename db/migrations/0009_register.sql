-- Issue 11 §1: the register (信访件台账). Search over the sanitised text (被反映人, 单位, 标题, 正文)
-- with pg_trgm: Chinese has no spaces to stem, so it is ILIKE '%…%' on trigram GIN indexes (PGlite
-- ships pg_trgm too; db/client.ts loads it). Trigrams need 3 characters: a 1–2 character query (a
-- two-character name is common) goes by prefix on the subject key and the unit instead, through the
-- text_pattern_ops indexes below (and by the subject key, migration 0010's index, for
-- a name typed with spaces or brackets). The btree indexes serve the register's keyset orders per office
-- (and across offices, for a supervisor who sees every office below).
-- The trigram indexes lead with the office (btree_gin makes a text column a GIN key): a search
-- inside one office, or a supervisor's few, reads only the posting lists' intersection with those
-- offices, instead of every matching case in the province (a phrase in 1 of 16 cases is 62,000
-- rechecked rows at 1M for the 456 of one county office; bench/RESULTS.md "register"). A search
-- without an office condition still uses them (GIN matches any subset of its columns). Hand-written.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX "cases_register_text_trgm_idx" ON "cases" USING gin ("office_code", (coalesce("subject_name", '') || ' ' || coalesce("subject_unit", '') || ' ' || "title" || ' ' || "body") gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_subject_name_trgm_idx" ON "cases" USING gin ("office_code", "subject_name" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_subject_unit_trgm_idx" ON "cases" USING gin ("office_code", "subject_unit" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_subject_name_prefix_idx" ON "cases" USING btree ("subject_name" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_subject_unit_prefix_idx" ON "cases" USING btree ("subject_unit" text_pattern_ops);--> statement-breakpoint
CREATE INDEX "cases_register_received_idx" ON "cases" USING btree ("office_code","received_on","serial");--> statement-breakpoint
CREATE INDEX "cases_register_received_all_idx" ON "cases" USING btree ("received_on","serial");--> statement-breakpoint
CREATE INDEX "cases_register_due_idx" ON "cases" USING btree ("office_code",(coalesce("next_due_on", '9999-12-31'::date)),"serial");--> statement-breakpoint
CREATE INDEX "cases_register_due_all_idx" ON "cases" USING btree ((coalesce("next_due_on", '9999-12-31'::date)),"serial");
