ALTER TABLE "cases" ADD COLUMN "name_key" text GENERATED ALWAYS AS (casedesk_sorted_words(full_name)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "search_vocabulary" ADD COLUMN "case_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_name_key_idx" ON "cases" USING btree ("name_key","code");