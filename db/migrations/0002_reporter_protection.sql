CREATE TABLE "identity_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_id" uuid NOT NULL,
	"office_code" text NOT NULL,
	"requester_id" uuid NOT NULL,
	"purpose" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decider_id" uuid,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"expires_at" timestamp with time zone,
	"grant_cipher" "bytea"
);
--> statement-breakpoint
CREATE TABLE "login_backoff" (
	"key" "bytea" PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"blocked_until" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP CONSTRAINT "idempotency_keys_case_id_cases_id_fk";
--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "original_name_sealed" "bytea";--> statement-breakpoint
ALTER TABLE "case_messages" ADD COLUMN "original_sealed" "bytea";--> statement-breakpoint
ALTER TABLE "case_messages" ADD COLUMN "identity_warnings" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "identity_warnings" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "redaction_box" "bytea";--> statement-breakpoint
ALTER TABLE "identity_requests" ADD CONSTRAINT "identity_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identity_requests_case_idx" ON "identity_requests" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "identity_requests_status_idx" ON "identity_requests" USING btree ("status","requested_at");--> statement-breakpoint
ALTER TABLE "idempotency_keys" DROP COLUMN "case_id";--> statement-breakpoint
-- Attachment names are never reporter-typed from here on: earlier rows get their 附件N.ext name
-- (the extension was always the detected type's). Rows before this migration had no sealed name.
UPDATE "attachments" SET "file_name" = '附件' || ("position" + 1) || '.' || substring("file_name" from '\.([A-Za-z0-9]+)$')
  WHERE "file_name" !~ '^附件[0-9]+\.[A-Za-z0-9]+$';
