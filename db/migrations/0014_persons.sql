-- Issue 12 §4: the five-year history of a person reported (被反映人) for 党风廉政意见回复.
-- persons: a person record staff keep once they confirm that mentions are the same person, so the
-- history does not depend on spelling alone; person_links: which case's 被反映人 is that person
-- (one live link per case; an unlink is kept, dated, never deleted). The 身份证号 of a person, when
-- known, is held only as a keyed BLAKE2b hash (key from the staff secret, never in the database).
-- person_history_requests: every search, with its purpose and requesting body, and the cases it
-- disclosed (the printable 回复意见 draft is made from it). Hand-written.
CREATE TABLE "persons" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"name_key" text NOT NULL,
	"id_hash" bytea,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "persons_id_hash_length" CHECK ("persons"."id_hash" is null or octet_length("persons"."id_hash") = 32)
);--> statement-breakpoint
ALTER TABLE "persons" ADD CONSTRAINT "persons_created_by_staff_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "persons_name_key_idx" ON "persons" USING btree ("name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "persons_id_hash_idx" ON "persons" USING btree ("id_hash") WHERE "persons"."id_hash" is not null;--> statement-breakpoint
CREATE TABLE "person_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"linked_by" uuid NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	"unlinked_by" uuid,
	"unlinked_at" timestamp with time zone,
	CONSTRAINT "person_links_unlinked_whole" CHECK (("person_links"."unlinked_by" is null) = ("person_links"."unlinked_at" is null))
);--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_person_id_persons_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."persons"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_linked_by_staff_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_unlinked_by_staff_id_fk" FOREIGN KEY ("unlinked_by") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- A case's 被反映人 is one person at a time.
CREATE UNIQUE INDEX "person_links_live_case_idx" ON "person_links" USING btree ("case_id") WHERE "person_links"."unlinked_at" is null;--> statement-breakpoint
CREATE INDEX "person_links_person_idx" ON "person_links" USING btree ("person_id") WHERE "person_links"."unlinked_at" is null;--> statement-breakpoint
CREATE TABLE "person_history_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"office_code" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"purpose" text NOT NULL,
	"requester" text NOT NULL,
	"reference" text,
	"name" text NOT NULL,
	"unit" text NOT NULL,
	"id_given" boolean NOT NULL,
	"window_from" date NOT NULL,
	"person_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"history" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"possible" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"truncated" boolean DEFAULT false NOT NULL
);--> statement-breakpoint
ALTER TABLE "person_history_requests" ADD CONSTRAINT "person_history_requests_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_history_requests" ADD CONSTRAINT "person_history_requests_office_code_offices_code_fk" FOREIGN KEY ("office_code") REFERENCES "public"."offices"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "person_history_requests_staff_idx" ON "person_history_requests" USING btree ("staff_id","at");
