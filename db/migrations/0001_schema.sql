CREATE TYPE "public"."audit_outcome" AS ENUM('ok', 'denied', 'invalid', 'error');--> statement-breakpoint
CREATE TYPE "public"."case_event_kind" AS ENUM('created', 'updated', 'status_changed', 'reopened', 'info_added', 'note');--> statement-breakpoint
CREATE TYPE "public"."case_status" AS ENUM('wanted', 'arrested', 'surrendered', 'cleared', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."danger" AS ENUM('normal', 'dangerous', 'especially_dangerous');--> statement-breakpoint
CREATE TYPE "public"."follow_up_status" AS ENUM('open', 'done', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."gender" AS ENUM('male', 'female', 'other');--> statement-breakpoint
CREATE TYPE "public"."locale" AS ENUM('vi', 'en');--> statement-breakpoint
CREATE TYPE "public"."member_role" AS ENUM('viewer', 'officer', 'lead', 'admin');--> statement-breakpoint
CREATE TYPE "public"."platform" AS ENUM('console', 'discord', 'slack');--> statement-breakpoint
CREATE TABLE "units" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"parent_id" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "units_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "member_identities" (
	"id" serial PRIMARY KEY NOT NULL,
	"member_id" integer NOT NULL,
	"platform" "platform" NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_identities_platform_user_key" UNIQUE("platform","workspace_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" serial PRIMARY KEY NOT NULL,
	"handle" text NOT NULL,
	"display_name" text NOT NULL,
	"role" "member_role" NOT NULL,
	"unit_id" integer NOT NULL,
	"locale" "locale",
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "members_handle_unique" UNIQUE("handle")
);
--> statement-breakpoint
CREATE TABLE "cases" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"full_name" text NOT NULL,
	"aliases" text[] DEFAULT '{}'::text[] NOT NULL,
	"birth_year" smallint,
	"birth_date" date,
	"gender" "gender",
	"national_id" text,
	"hometown" text,
	"charges" text,
	"danger" "danger" NOT NULL,
	"unit_id" integer NOT NULL,
	"wanted_decision_no" text,
	"wanted_on" date NOT NULL,
	"wanted_authority" text,
	"status" "case_status" DEFAULT 'wanted' NOT NULL,
	"resolved_on" date,
	"outcome_note" text,
	"cancellation_decision_no" text,
	"cancelled_on" date,
	"has_photo" boolean DEFAULT false NOT NULL,
	"photo_note" text,
	"identifying_marks" text,
	"criminal_history" text,
	"version" integer DEFAULT 1 NOT NULL,
	"search_key" text GENERATED ALWAYS AS (casedesk_case_search_key(full_name, aliases)) STORED NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "cases_code_unique" UNIQUE("code"),
	CONSTRAINT "cases_resolution_consistent" CHECK (("cases"."status" = 'wanted') = ("cases"."resolved_on" is null)),
	CONSTRAINT "cases_resolved_after_wanted" CHECK ("cases"."resolved_on" is null or "cases"."resolved_on" >= "cases"."wanted_on"),
	CONSTRAINT "cases_birth_year_range" CHECK ("cases"."birth_year" is null or "cases"."birth_year" between 1900 and 2100),
	CONSTRAINT "cases_version_positive" CHECK ("cases"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "case_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"kind" "case_event_kind" NOT NULL,
	"actor_member_id" integer,
	"actor_label" text,
	"occurred_on" date,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "follow_ups" (
	"id" serial PRIMARY KEY NOT NULL,
	"case_id" integer,
	"assignee_member_id" integer,
	"assignee_unit_id" integer,
	"task" text NOT NULL,
	"due_on" date,
	"status" "follow_up_status" DEFAULT 'open' NOT NULL,
	"created_by_member_id" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	"completed_by_member_id" integer,
	"completion_note" text,
	CONSTRAINT "follow_ups_one_assignee" CHECK (("follow_ups"."assignee_member_id" is null) <> ("follow_ups"."assignee_unit_id" is null)),
	CONSTRAINT "follow_ups_completion_consistent" CHECK (("follow_ups"."status" = 'open') = ("follow_ups"."completed_at" is null))
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"member_id" integer,
	"platform" "platform" NOT NULL,
	"workspace_id" text,
	"user_id" text,
	"channel_id" text,
	"invocation_id" text,
	"command" text NOT NULL,
	"args" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"case_codes" text[] DEFAULT '{}' NOT NULL,
	"outcome" "audit_outcome" NOT NULL,
	"detail" text
);
--> statement-breakpoint
CREATE TABLE "processed_invocations" (
	"key" text PRIMARY KEY NOT NULL,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp (3) with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "units" ADD CONSTRAINT "units_parent_id_units_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_identities" ADD CONSTRAINT "member_identities_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_events" ADD CONSTRAINT "case_events_actor_member_id_members_id_fk" FOREIGN KEY ("actor_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_assignee_member_id_members_id_fk" FOREIGN KEY ("assignee_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_assignee_unit_id_units_id_fk" FOREIGN KEY ("assignee_unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_created_by_member_id_members_id_fk" FOREIGN KEY ("created_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_ups" ADD CONSTRAINT "follow_ups_completed_by_member_id_members_id_fk" FOREIGN KEY ("completed_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "member_identities_member_idx" ON "member_identities" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "cases_search_key_trgm_idx" ON "cases" USING gin ("search_key" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "cases_national_id_idx" ON "cases" USING btree ("national_id");--> statement-breakpoint
CREATE INDEX "cases_unit_status_idx" ON "cases" USING btree ("unit_id","status");--> statement-breakpoint
CREATE INDEX "cases_status_resolved_on_idx" ON "cases" USING btree ("status","resolved_on");--> statement-breakpoint
CREATE INDEX "case_events_case_idx" ON "case_events" USING btree ("case_id","recorded_at");--> statement-breakpoint
CREATE INDEX "case_events_recorded_idx" ON "case_events" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "follow_ups_case_idx" ON "follow_ups" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "follow_ups_open_due_idx" ON "follow_ups" USING btree ("status","due_on");--> statement-breakpoint
CREATE INDEX "follow_ups_assignee_member_idx" ON "follow_ups" USING btree ("assignee_member_id");--> statement-breakpoint
CREATE INDEX "follow_ups_assignee_unit_idx" ON "follow_ups" USING btree ("assignee_unit_id");--> statement-breakpoint
CREATE INDEX "audit_log_at_idx" ON "audit_log" USING btree ("at");--> statement-breakpoint
CREATE INDEX "audit_log_command_at_idx" ON "audit_log" USING btree ("command","at");--> statement-breakpoint
CREATE INDEX "audit_log_member_idx" ON "audit_log" USING btree ("member_id");