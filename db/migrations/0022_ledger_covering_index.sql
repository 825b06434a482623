-- The digest sums the journal's entries by measure over a range of days, per unit and danger: with
-- those columns in the index, that is an index-only scan instead of a visit to every entry.
-- Written by hand (drizzle-kit generate --custom), as drizzle-kit does not write INCLUDE.
DROP INDEX IF EXISTS "case_ledger_measure_day_idx";--> statement-breakpoint
CREATE INDEX "case_ledger_measure_day_idx" ON "case_ledger" USING btree ("measure", "day") INCLUDE ("unit_id", "danger", "delta");
