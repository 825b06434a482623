CREATE TABLE "digest_runs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"schedule_id" integer NOT NULL,
	"slot" timestamp (3) with time zone NOT NULL,
	"period_from" date,
	"period_to" date,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp (3) with time zone,
	"last_error" text,
	"delivered_at" timestamp (3) with time zone,
	CONSTRAINT "digest_runs_schedule_slot_key" UNIQUE("schedule_id","slot")
);
--> statement-breakpoint
CREATE TABLE "digest_schedules" (
	"id" serial PRIMARY KEY NOT NULL,
	"cron" text NOT NULL,
	"time_zone" text NOT NULL,
	"target_platform" "platform" NOT NULL,
	"target_channel" text NOT NULL,
	"unit_id" integer,
	"period" text NOT NULL,
	"locale" "locale" NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by_member_id" integer,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "digest_schedules_period" CHECK ("digest_schedules"."period" in ('week', 'month', 'quarter', 'ytd', 'since-last'))
);
--> statement-breakpoint
ALTER TABLE "digest_runs" ADD CONSTRAINT "digest_runs_schedule_id_digest_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."digest_schedules"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_schedules" ADD CONSTRAINT "digest_schedules_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_schedules" ADD CONSTRAINT "digest_schedules_created_by_member_id_members_id_fk" FOREIGN KEY ("created_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "digest_runs_pending_idx" ON "digest_runs" USING btree ("delivered_at","next_attempt_at");--> statement-breakpoint
CREATE INDEX "cases_wanted_on_idx" ON "cases" USING btree ("wanted_on");