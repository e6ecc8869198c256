-- Issue 11 §2: how a 信访件 arrived (来信、来访、来电、12388、上级交办 or online), the day the office
-- received it and the sender's reference. Hand-written (drizzle-kit snapshots stop at 0003).
ALTER TABLE "cases" ADD COLUMN "channel" text DEFAULT 'online' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_channel_known" CHECK ("channel" IN ('online', 'letter', 'visit', 'phone', 'hotline_12388', 'assigned'));--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "received_on" date DEFAULT ((now() at time zone 'Asia/Shanghai')::date) NOT NULL;--> statement-breakpoint
UPDATE "cases" SET "received_on" = ("received_at" at time zone 'Asia/Shanghai')::date;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "external_reference" text;
