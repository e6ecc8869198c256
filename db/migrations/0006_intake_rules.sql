-- Issue 10 §3–§4: routing and real-name rules at intake (api/services/intake/). Hand-written.
-- A report may name no person reported (申诉; a 批评建议 may leave it out): the subject columns
-- become nullable, all together.
ALTER TABLE "cases" ALTER COLUMN "subject_name" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "subject_unit" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "subject_position" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "subject_level" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ALTER COLUMN "subject_division_code" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_subject_whole" CHECK (("subject_name" IS NULL AND "subject_unit" IS NULL AND "subject_level" IS NULL AND "subject_division_code" IS NULL) OR ("subject_name" IS NOT NULL AND "subject_unit" IS NOT NULL AND "subject_level" IS NOT NULL AND "subject_division_code" IS NOT NULL));--> statement-breakpoint
-- One level up: a report about a 纪检监察机关 or its staff, or about its 主要负责人; at the province,
-- flagged 报中央纪委国家监委.
ALTER TABLE "cases" ADD COLUMN "subject_is_discipline_staff" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "subject_is_principal_leader" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "report_to_central" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- A real-name report is filed by a person or by a unit under its name (null when anonymous).
ALTER TABLE "cases" ADD COLUMN "reporter_kind" text;--> statement-breakpoint
-- 申诉: the decision appealed against (redacted like the body; the original is sealed with the
-- identity), its date and the office that made it, all together or none.
ALTER TABLE "cases" ADD COLUMN "appeal_decision" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "appeal_deciding_body" text;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "appeal_decision_date" date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "appeal_office_code" text;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_appeal_office_code_offices_code_fk" FOREIGN KEY ("appeal_office_code") REFERENCES "public"."offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_appeal_whole" CHECK (("appeal_decision" IS NULL) = ("appeal_office_code" IS NULL) AND ("appeal_deciding_body" IS NULL) = ("appeal_office_code" IS NULL) AND ("appeal_decision_date" IS NULL) = ("appeal_office_code" IS NULL));
