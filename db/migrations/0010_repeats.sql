-- Issue 11 §3: repeats (重复件). The person reported as a stored key (the normalised name: NFKC,
-- lower case, without notes in brackets, spaces and punctuation; api/domain/repeats.ts subjectKey,
-- which the app writes from now on), indexed with the day received so intake finds the earlier
-- cases about the same name within five years through the index; and the likely repeats found.
-- Hand-written (drizzle-kit snapshots stop at 0003).
ALTER TABLE "cases" ADD COLUMN "subject_key" text;--> statement-breakpoint
-- Existing cases keyed the way subjectKey does (a name redacted or of one character keys no one).
UPDATE "cases" SET "subject_key" = k.key FROM (
  SELECT "id", lower(regexp_replace(regexp_replace(normalize("subject_name", NFKC),
    '[（(［\[【〔][^）)］\]】〕]*[）)］\]】〕]', '', 'g'), '[[:space:][:punct:]·・•‧]+', '', 'g')) AS key
  FROM "cases" WHERE "subject_name" IS NOT NULL
) k WHERE "cases"."id" = k."id" AND length(k.key) >= 2 AND position('已隐去' in k.key) = 0;--> statement-breakpoint
CREATE INDEX "cases_subject_key_idx" ON "cases" USING btree ("subject_key","received_at") WHERE "subject_key" IS NOT NULL;--> statement-breakpoint
-- A likely repeat: case_id is the case it was found for (at its intake or registration), other_id the
-- case it looks like. The id is the handle staff act on (merge/keep `caseId`) when
-- they may not see the other case.
CREATE TABLE "case_repeats" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"other_id" uuid NOT NULL,
	"similarity" real NOT NULL,
	"found_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_repeats_not_self" CHECK ("case_repeats"."case_id" <> "case_repeats"."other_id"),
	CONSTRAINT "case_repeats_similarity_range" CHECK ("case_repeats"."similarity" >= 0 AND "case_repeats"."similarity" <= 1)
);
--> statement-breakpoint
ALTER TABLE "case_repeats" ADD CONSTRAINT "case_repeats_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_repeats" ADD CONSTRAINT "case_repeats_other_id_cases_id_fk" FOREIGN KEY ("other_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- One row a pair, whichever of the two it was found for.
CREATE UNIQUE INDEX "case_repeats_pair_idx" ON "case_repeats" USING btree (least("case_id", "other_id"), greatest("case_id", "other_id"));--> statement-breakpoint
CREATE INDEX "case_repeats_case_idx" ON "case_repeats" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_repeats_other_idx" ON "case_repeats" USING btree ("other_id");
