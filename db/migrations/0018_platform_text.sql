ALTER TABLE "member_identities" ALTER COLUMN "platform" SET DATA TYPE text USING "platform"::text;--> statement-breakpoint
ALTER TABLE "audit_log" ALTER COLUMN "platform" SET DATA TYPE text USING "platform"::text;--> statement-breakpoint
ALTER TABLE "digest_schedules" ALTER COLUMN "target_platform" SET DATA TYPE text USING "target_platform"::text;--> statement-breakpoint
ALTER TABLE "meetings" ALTER COLUMN "platform" SET DATA TYPE text USING "platform"::text;--> statement-breakpoint
ALTER TABLE "outbox" ALTER COLUMN "platform" SET DATA TYPE text USING "platform"::text;--> statement-breakpoint
ALTER TABLE "member_identities" ADD CONSTRAINT "member_identities_platform_name" CHECK ("member_identities"."platform" ~ '^[a-z][a-z0-9_]*$');--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_platform_name" CHECK ("audit_log"."platform" ~ '^[a-z][a-z0-9_]*$');--> statement-breakpoint
ALTER TABLE "digest_schedules" ADD CONSTRAINT "digest_schedules_target_platform_name" CHECK ("digest_schedules"."target_platform" ~ '^[a-z][a-z0-9_]*$');--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_platform_name" CHECK ("meetings"."platform" ~ '^[a-z][a-z0-9_]*$');--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_platform_name" CHECK ("outbox"."platform" ~ '^[a-z][a-z0-9_]*$');--> statement-breakpoint
DROP TYPE "public"."platform";