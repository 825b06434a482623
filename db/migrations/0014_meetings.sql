CREATE TABLE "meeting_attendees" (
	"meeting_id" integer NOT NULL,
	"member_id" integer NOT NULL,
	"joined_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_attendees_meeting_id_member_id_pk" PRIMARY KEY("meeting_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_follow_ups" (
	"meeting_id" integer NOT NULL,
	"follow_up_id" integer NOT NULL,
	CONSTRAINT "meeting_follow_ups_meeting_id_follow_up_id_pk" PRIMARY KEY("meeting_id","follow_up_id")
);
--> statement-breakpoint
CREATE TABLE "meeting_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"meeting_id" integer NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"follow_up_id" integer,
	"created_by_member_id" integer NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_items_kind" CHECK ("meeting_items"."kind" in ('note', 'conclusion', 'directive') and (("meeting_items"."kind" = 'directive') = ("meeting_items"."follow_up_id" is not null)))
);
--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"unit_id" integer NOT NULL,
	"platform" "platform" NOT NULL,
	"channel_id" text NOT NULL,
	"started_by_member_id" integer NOT NULL,
	"started_at" timestamp (3) with time zone NOT NULL,
	"agenda" jsonb NOT NULL,
	"ended_at" timestamp (3) with time zone,
	"ended_how" text,
	"ended_by_member_id" integer,
	CONSTRAINT "meetings_ended_how" CHECK (("meetings"."ended_at" is null) = ("meetings"."ended_how" is null) and ("meetings"."ended_how" is null or "meetings"."ended_how" in ('ended', 'timeout')))
);
--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_attendees" ADD CONSTRAINT "meeting_attendees_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_follow_ups" ADD CONSTRAINT "meeting_follow_ups_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_follow_ups" ADD CONSTRAINT "meeting_follow_ups_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_items" ADD CONSTRAINT "meeting_items_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_items" ADD CONSTRAINT "meeting_items_follow_up_id_follow_ups_id_fk" FOREIGN KEY ("follow_up_id") REFERENCES "public"."follow_ups"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_items" ADD CONSTRAINT "meeting_items_created_by_member_id_members_id_fk" FOREIGN KEY ("created_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_started_by_member_id_members_id_fk" FOREIGN KEY ("started_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_ended_by_member_id_members_id_fk" FOREIGN KEY ("ended_by_member_id") REFERENCES "public"."members"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_items_meeting_idx" ON "meeting_items" USING btree ("meeting_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "meetings_one_open_per_channel" ON "meetings" USING btree ("platform","channel_id") WHERE "meetings"."ended_at" is null;--> statement-breakpoint
CREATE INDEX "meetings_unit_started_idx" ON "meetings" USING btree ("unit_id","started_at");