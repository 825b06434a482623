CREATE TYPE "public"."decision_kind" AS ENUM('wanted', 'cancellation');--> statement-breakpoint
ALTER TYPE "public"."case_event_kind" ADD VALUE 'decision';--> statement-breakpoint
CREATE TABLE "case_decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"kind" "decision_kind" NOT NULL,
	"number" text,
	"decided_on" date NOT NULL,
	"authority" text,
	"supersedes_id" bigint,
	"actor_member_id" integer,
	"actor_label" text,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_decisions_supersedes_key" UNIQUE("supersedes_id"),
	CONSTRAINT "case_decisions_document_key" UNIQUE NULLS NOT DISTINCT("case_id","kind","decided_on","number")
);
--> statement-breakpoint
CREATE TABLE "case_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"case_id" integer NOT NULL,
	"unit_id" integer NOT NULL,
	"danger" "danger" NOT NULL,
	"measure" text NOT NULL,
	"day" date NOT NULL,
	"delta" smallint NOT NULL,
	"correction" boolean DEFAULT false NOT NULL,
	"recorded_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "case_ledger_measure" CHECK ("case_ledger"."measure" in ('wanted', 'arrested', 'surrendered', 'cleared', 'cancelled', 'wanted_decision', 'cancellation_decision')),
	CONSTRAINT "case_ledger_delta_nonzero" CHECK ("case_ledger"."delta" <> 0)
);
--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "spell" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "digest_runs" ADD COLUMN "figures" jsonb;--> statement-breakpoint
ALTER TABLE "digest_runs" ADD COLUMN "message" jsonb;--> statement-breakpoint
ALTER TABLE "case_decisions" ADD CONSTRAINT "case_decisions_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_decisions" ADD CONSTRAINT "case_decisions_supersedes_id_case_decisions_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."case_decisions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_decisions" ADD CONSTRAINT "case_decisions_actor_member_id_members_id_fk" FOREIGN KEY ("actor_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_ledger" ADD CONSTRAINT "case_ledger_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_ledger" ADD CONSTRAINT "case_ledger_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_decisions_case_idx" ON "case_decisions" USING btree ("case_id","decided_on");--> statement-breakpoint
CREATE INDEX "case_ledger_measure_day_idx" ON "case_ledger" USING btree ("measure","day");--> statement-breakpoint
CREATE INDEX "case_ledger_case_idx" ON "case_ledger" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "case_ledger_recorded_idx" ON "case_ledger" USING btree ("recorded_at");--> statement-breakpoint
ALTER TABLE "cases" ADD CONSTRAINT "cases_spell_positive" CHECK ("cases"."spell" >= 1);