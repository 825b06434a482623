-- The digest counts outcomes per month, outcome, danger and unit over a period: with these
-- columns in the index, that is an index-only scan instead of a visit to every matching row.
DROP INDEX IF EXISTS "cases_status_resolved_on_idx";--> statement-breakpoint
CREATE INDEX "cases_status_resolved_on_idx" ON "cases" USING btree ("status", "resolved_on") INCLUDE ("danger", "unit_id");
