-- Issue 11 §6: 领导批示 (呈批 with a 拟办意见, the leader's 批示, 督办批示), the 书记阅批件 ledger's
-- hand marks and 销号, and 提级审核 (the higher office that reviews a case's conclusion).
-- Hand-written (drizzle-kit snapshots stop at 0003).
ALTER TABLE "cases" ADD COLUMN "review_office_code" text;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_review_office_code_offices_code_fk" FOREIGN KEY ("review_office_code") REFERENCES "public"."offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "cases_review_office_idx" ON "cases" USING btree ("review_office_code") WHERE "cases"."review_office_code" is not null;--> statement-breakpoint
CREATE TABLE "case_instructions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "case_instructions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"case_id" uuid NOT NULL,
	"office_code" text NOT NULL,
	"kind" text NOT NULL,
	"requested_at" timestamp with time zone,
	"requested_by" text,
	"proposal" text,
	"request_event_seq" integer,
	"instructed_at" timestamp with time zone,
	"instructed_by" text,
	"instruction" text,
	"signed_on" date,
	"instruct_event_seq" integer,
	"supervision_id" bigint,
	CONSTRAINT "case_instructions_kind_check" CHECK ("case_instructions"."kind" in ('instruction', 'supervision')),
	CONSTRAINT "case_instructions_whole" CHECK (("case_instructions"."kind" = 'instruction' and "case_instructions"."requested_at" is not null and "case_instructions"."proposal" is not null) or ("case_instructions"."kind" = 'supervision' and "case_instructions"."instructed_at" is not null and "case_instructions"."supervision_id" is not null)),
	CONSTRAINT "case_instructions_signed" CHECK (("case_instructions"."instructed_at" is null) = ("case_instructions"."instruction" is null) and ("case_instructions"."instructed_at" is null) = ("case_instructions"."signed_on" is null))
);--> statement-breakpoint
ALTER TABLE "case_instructions" ADD CONSTRAINT "case_instructions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_instructions" ADD CONSTRAINT "case_instructions_supervision_id_case_supervisions_id_fk" FOREIGN KEY ("supervision_id") REFERENCES "public"."case_supervisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_instructions_case_idx" ON "case_instructions" USING btree ("case_id");--> statement-breakpoint
CREATE UNIQUE INDEX "case_instructions_pending_idx" ON "case_instructions" USING btree ("case_id","office_code") WHERE "case_instructions"."instructed_at" is null;--> statement-breakpoint
CREATE TABLE "leader_items" (
	"case_id" uuid NOT NULL,
	"office_code" text NOT NULL,
	"manual" boolean NOT NULL,
	"marked_at" timestamp with time zone,
	"marked_by" text,
	"closed_at" timestamp with time zone,
	"closed_by" text,
	CONSTRAINT "leader_items_case_id_office_code_pk" PRIMARY KEY("case_id","office_code"),
	CONSTRAINT "leader_items_marked" CHECK ("leader_items"."manual" = ("leader_items"."marked_at" is not null))
);--> statement-breakpoint
ALTER TABLE "leader_items" ADD CONSTRAINT "leader_items_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "leader_items_office_idx" ON "leader_items" USING btree ("office_code");
--> statement-breakpoint
-- 提级审核 (this migration's review_office_code): a reporter's message on a conclusion the reviewing
-- office has not yet approved is a follow-up, not an objection. Reopening it there (0007's
-- function) would let the office below give its 反馈 around the review.
CREATE OR REPLACE FUNCTION qf_reopen_on_objection(p_case uuid, p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE cases SET stage = 'objected', updated_at = p_at
  WHERE id = p_case AND stage = 'concluded'
    AND (review_office_code IS NULL OR public_status = 'concluded');
  RETURN FOUND;
END;
$$;
