DROP INDEX "cases_code_trgm_idx";--> statement-breakpoint
CREATE INDEX "cases_code_lower_trgm_idx" ON "cases" USING gin (lower("code") gin_trgm_ops);