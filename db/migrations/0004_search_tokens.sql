CREATE TABLE "search_vocabulary" (
	"token" text PRIMARY KEY NOT NULL
);
--> statement-breakpoint
CREATE INDEX "cases_search_tokens_idx" ON "cases" USING gin (string_to_array("search_key", ' '));