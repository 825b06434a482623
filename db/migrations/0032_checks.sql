CREATE TABLE "checks" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"invocation_id" text NOT NULL,
	"member_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"platform" text NOT NULL,
	"workspace_id" text NOT NULL,
	"user_id" text NOT NULL,
	"locale" "locale" NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"priority" text NOT NULL,
	"rows" integer NOT NULL,
	"skipped" integer NOT NULL,
	"rows_with_candidates" integer NOT NULL,
	"candidates" integer NOT NULL,
	"certain" integer NOT NULL,
	"requests" integer NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "checks_invocation_key" UNIQUE("invocation_id"),
	CONSTRAINT "checks_platform_name" CHECK ("checks"."platform" ~ '^[a-z][a-z0-9_]*$'),
	CONSTRAINT "checks_priority" CHECK ("checks"."priority" in ('urgent', 'routine'))
);
--> statement-breakpoint
CREATE TABLE "hit_requests" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"check_id" bigint NOT NULL,
	"line" integer NOT NULL,
	"case_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"person" jsonb NOT NULL,
	"score" real NOT NULL,
	"certain" boolean NOT NULL,
	"reasons" text[] NOT NULL,
	"priority" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"stage" smallint DEFAULT 0 NOT NULL,
	"due_at" timestamp (3) with time zone NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL,
	"answered_at" timestamp (3) with time zone,
	"answered_by_member_id" integer,
	"answer_note" text,
	"waits" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "hit_requests_check_line_case_key" UNIQUE("check_id","line","case_id"),
	CONSTRAINT "hit_requests_priority" CHECK ("hit_requests"."priority" in ('urgent', 'routine')),
	CONSTRAINT "hit_requests_status" CHECK ("hit_requests"."status" in ('open', 'confirmed', 'rejected')),
	CONSTRAINT "hit_requests_stage" CHECK ("hit_requests"."stage" between 0 and 3),
	CONSTRAINT "hit_requests_answer_consistent" CHECK (("hit_requests"."status" = 'open') = ("hit_requests"."answered_at" is null))
);
--> statement-breakpoint
CREATE TABLE "unit_channels" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"unit_id" integer NOT NULL,
	"platform" text NOT NULL,
	"channel_id" text NOT NULL,
	"locale" "locale" NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unit_channels_unit_platform_key" UNIQUE("unit_id","platform"),
	CONSTRAINT "unit_channels_platform_name" CHECK ("unit_channels"."platform" ~ '^[a-z][a-z0-9_]*$')
);
--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "checks" ADD CONSTRAINT "checks_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hit_requests" ADD CONSTRAINT "hit_requests_check_id_checks_id_fk" FOREIGN KEY ("check_id") REFERENCES "public"."checks"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hit_requests" ADD CONSTRAINT "hit_requests_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hit_requests" ADD CONSTRAINT "hit_requests_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hit_requests" ADD CONSTRAINT "hit_requests_answered_by_member_id_members_id_fk" FOREIGN KEY ("answered_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unit_channels" ADD CONSTRAINT "unit_channels_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checks_created_idx" ON "checks" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "checks_unit_idx" ON "checks" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "hit_requests_open_due_idx" ON "hit_requests" USING btree ("due_at") WHERE "hit_requests"."status" = 'open';--> statement-breakpoint
CREATE INDEX "hit_requests_case_idx" ON "hit_requests" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "hit_requests_unit_idx" ON "hit_requests" USING btree ("unit_id");--> statement-breakpoint
CREATE INDEX "hit_requests_created_idx" ON "hit_requests" USING btree ("created_at");