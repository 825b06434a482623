CREATE TABLE "pending_actions" (
	"key" text PRIMARY KEY NOT NULL,
	"command" text NOT NULL,
	"options" jsonb NOT NULL,
	"offered_to_member_id" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pending_actions" ADD CONSTRAINT "pending_actions_offered_to_member_id_members_id_fk" FOREIGN KEY ("offered_to_member_id") REFERENCES "public"."members"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "pending_actions_expires_at_idx" ON "pending_actions" USING btree ("expires_at");