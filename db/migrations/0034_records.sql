ALTER TYPE "public"."case_event_kind" ADD VALUE 'validated';--> statement-breakpoint
ALTER TYPE "public"."case_event_kind" ADD VALUE 'photo_retired';--> statement-breakpoint
CREATE TABLE "case_details" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"source" text,
	"noted_on" date,
	"added_by_member_id" integer,
	"added_by_label" text,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_details_kind" CHECK ("case_details"."kind" in ('marks', 'history'))
);
--> statement-breakpoint
CREATE TABLE "case_photos" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"content_type" text NOT NULL,
	"image" "bytea" NOT NULL,
	"thumbnail" "bytea" NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"original_bytes" integer NOT NULL,
	"original_sha256" text NOT NULL,
	"caption" text,
	"added_by_member_id" integer,
	"added_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp (3) with time zone,
	"retired_by_member_id" integer,
	"retire_reason" text,
	CONSTRAINT "case_photos_retired_consistent" CHECK (("case_photos"."retired_at" is null) = ("case_photos"."retire_reason" is null))
);
--> statement-breakpoint
CREATE TABLE "case_validations" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"validated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"complete" boolean NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "inspection_records" (
	"inspection_id" integer NOT NULL,
	"case_id" integer NOT NULL,
	"position" integer NOT NULL,
	"has_photo" boolean NOT NULL,
	"has_marks" boolean NOT NULL,
	"has_history" boolean NOT NULL,
	"validated_at" timestamp (3) with time zone,
	"result" text,
	"finding" text,
	"marked_by_member_id" integer,
	"marked_at" timestamp (3) with time zone,
	"follow_up_id" integer,
	CONSTRAINT "inspection_records_inspection_id_case_id_pk" PRIMARY KEY("inspection_id","case_id"),
	CONSTRAINT "inspection_records_result" CHECK (("inspection_records"."result" is null or "inspection_records"."result" in ('ok', 'finding')) and (("inspection_records"."result" = 'finding') = ("inspection_records"."finding" is not null)) and (("inspection_records"."result" is null) = ("inspection_records"."marked_at" is null)))
);
--> statement-breakpoint
CREATE TABLE "inspections" (
	"id" serial PRIMARY KEY NOT NULL,
	"unit_id" integer NOT NULL,
	"opened_by_member_id" integer NOT NULL,
	"opened_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"sample_size" integer,
	"seed" text NOT NULL,
	"platform" text NOT NULL,
	"channel_id" text NOT NULL,
	"closed_at" timestamp (3) with time zone,
	"closed_by_member_id" integer,
	"summary" jsonb,
	CONSTRAINT "inspections_platform_name" CHECK ("inspections"."platform" ~ '^[a-z][a-z0-9_]*$'),
	CONSTRAINT "inspections_sample_positive" CHECK ("inspections"."sample_size" is null or "inspections"."sample_size" > 0),
	CONSTRAINT "inspections_closed_consistent" CHECK (("inspections"."closed_at" is null) = ("inspections"."closed_by_member_id" is null))
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "validated_on" date;--> statement-breakpoint
ALTER TABLE "case_details" ADD CONSTRAINT "case_details_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_details" ADD CONSTRAINT "case_details_added_by_member_id_members_id_fk" FOREIGN KEY ("added_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_photos" ADD CONSTRAINT "case_photos_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_photos" ADD CONSTRAINT "case_photos_added_by_member_id_members_id_fk" FOREIGN KEY ("added_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_photos" ADD CONSTRAINT "case_photos_retired_by_member_id_members_id_fk" FOREIGN KEY ("retired_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_validations" ADD CONSTRAINT "case_validations_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_validations" ADD CONSTRAINT "case_validations_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_validations" ADD CONSTRAINT "case_validations_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_records" ADD CONSTRAINT "inspection_records_inspection_id_inspections_id_fk" FOREIGN KEY ("inspection_id") REFERENCES "public"."inspections"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_records" ADD CONSTRAINT "inspection_records_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_records" ADD CONSTRAINT "inspection_records_marked_by_member_id_members_id_fk" FOREIGN KEY ("marked_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspection_records" ADD CONSTRAINT "inspection_records_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_opened_by_member_id_members_id_fk" FOREIGN KEY ("opened_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inspections" ADD CONSTRAINT "inspections_closed_by_member_id_members_id_fk" FOREIGN KEY ("closed_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_details_case_idx" ON "case_details" USING btree ("case_id","kind","added_at");--> statement-breakpoint
CREATE INDEX "case_photos_case_idx" ON "case_photos" USING btree ("case_id","added_at");--> statement-breakpoint
CREATE INDEX "case_validations_case_idx" ON "case_validations" USING btree ("case_id","validated_at");--> statement-breakpoint
CREATE INDEX "case_validations_at_idx" ON "case_validations" USING btree ("validated_at");--> statement-breakpoint
CREATE INDEX "inspection_records_follow_up_idx" ON "inspection_records" USING btree ("follow_up_id");--> statement-breakpoint
CREATE INDEX "inspections_unit_opened_idx" ON "inspections" USING btree ("unit_id","opened_at");--> statement-breakpoint
CREATE INDEX "inspections_closed_idx" ON "inspections" USING btree ("closed_at");--> statement-breakpoint
CREATE INDEX "cases_validation_due_idx" ON "cases" USING btree (coalesce("validated_on", "wanted_on")) WHERE "cases"."status" = 'wanted';--> statement-breakpoint
-- Identifying marks and criminal history recorded before they became entries: one entry each,
-- dated when the case was last changed, by no member.
INSERT INTO "case_details" ("case_id", "kind", "text", "added_by_label", "added_at")
SELECT "id", 'marks', "identifying_marks", 'migration', "updated_at" FROM "cases" WHERE coalesce("identifying_marks", '') <> ''
UNION ALL
SELECT "id", 'history', "criminal_history", 'migration', "updated_at" FROM "cases" WHERE coalesce("criminal_history", '') <> '';--> statement-breakpoint
-- Entries and validations are history: the database refuses to change or remove them.
CREATE TRIGGER case_details_append_only BEFORE UPDATE OR DELETE ON case_details
  FOR EACH ROW EXECUTE FUNCTION public.casedesk_refuse_change();--> statement-breakpoint
CREATE TRIGGER case_details_no_truncate BEFORE TRUNCATE ON case_details
  FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_refuse_change();--> statement-breakpoint
CREATE TRIGGER case_validations_append_only BEFORE UPDATE OR DELETE ON case_validations
  FOR EACH ROW EXECUTE FUNCTION public.casedesk_refuse_change();--> statement-breakpoint
CREATE TRIGGER case_validations_no_truncate BEFORE TRUNCATE ON case_validations
  FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_refuse_change();
