DROP INDEX "cases_search_key_trgm_idx";--> statement-breakpoint
DROP INDEX "cases_search_tokens_idx";--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "search_terms" text[] GENERATED ALWAYS AS (casedesk_search_terms(full_name, aliases, birth_year)) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "cases_search_terms_idx" ON "cases" USING gin ("search_terms");