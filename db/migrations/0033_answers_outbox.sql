ALTER TABLE "outbox" DROP CONSTRAINT "outbox_one_target";--> statement-breakpoint
ALTER TABLE "processed_invocations" ADD COLUMN "lease_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "reply_to" jsonb;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "expires_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "outbox_answers_due_idx" ON "outbox" USING btree ("next_attempt_at") WHERE "outbox"."reply_to" is not null and "outbox"."next_attempt_at" is not null;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_one_target" CHECK (num_nonnulls("outbox"."channel_id", "outbox"."user_id", "outbox"."reply_to") = 1);