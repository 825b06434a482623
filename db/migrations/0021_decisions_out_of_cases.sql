ALTER TABLE "cases" DROP COLUMN "wanted_decision_no";--> statement-breakpoint
ALTER TABLE "cases" DROP COLUMN "wanted_authority";--> statement-breakpoint
ALTER TABLE "cases" DROP COLUMN "cancellation_decision_no";--> statement-breakpoint
ALTER TABLE "cases" DROP COLUMN "cancelled_on";