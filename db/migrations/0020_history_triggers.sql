-- The figures' journal (case_ledger) is kept by the database, in the transaction of each change to
-- a case or each decision recorded, so that it is the same whichever path the change came by.
-- Written by hand (drizzle-kit generate --custom).

-- What a case's current spell contributes: wanted from its start and, once it has an outcome, no
-- longer wanted and one outcome, both on the outcome's day.
CREATE OR REPLACE FUNCTION public.casedesk_spell_entries(status case_status, wanted_on date, resolved_on date)
  RETURNS TABLE (measure text, day date, delta integer)
  LANGUAGE sql IMMUTABLE
  AS $$
    SELECT 'wanted', wanted_on, 1
    UNION ALL SELECT 'wanted', resolved_on, -1 WHERE status <> 'wanted'
    UNION ALL SELECT status::text, resolved_on, 1 WHERE status <> 'wanted'
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.casedesk_case_ledger() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO case_ledger (case_id, unit_id, danger, measure, day, delta, correction)
        SELECT NEW.id, NEW.unit_id, NEW.danger, e.measure, e.day, e.delta, false
        FROM casedesk_spell_entries(NEW.status, NEW.wanted_on, NEW.resolved_on) e;
      RETURN NULL;
    END IF;
    -- A case moved to another unit, or given another danger, takes its history with it: what it
    -- counts for so far is withdrawn from the old unit and danger and counted for the new.
    IF (NEW.unit_id, NEW.danger) IS DISTINCT FROM (OLD.unit_id, OLD.danger) THEN
      INSERT INTO case_ledger (case_id, unit_id, danger, measure, day, delta, correction)
        SELECT NEW.id, m.unit_id, m.danger, l.measure, l.day, m.sign * sum(l.delta), true
        FROM case_ledger l,
             (VALUES (OLD.unit_id, OLD.danger, -1), (NEW.unit_id, NEW.danger, 1)) AS m (unit_id, danger, sign)
        WHERE l.case_id = NEW.id
        GROUP BY m.unit_id, m.danger, m.sign, l.measure, l.day
        HAVING sum(l.delta) <> 0;
    END IF;
    IF NEW.spell <> OLD.spell THEN
      -- Wanted again (after an escape, say): the earlier outcome stays where it happened.
      IF NEW.spell <> OLD.spell + 1 OR OLD.status = 'wanted' OR NEW.wanted_on < OLD.resolved_on THEN
        RAISE EXCEPTION 'case %: a new wanted spell must follow an outcome, on or after its day', NEW.code
          USING ERRCODE = 'check_violation';
      END IF;
      INSERT INTO case_ledger (case_id, unit_id, danger, measure, day, delta, correction)
        SELECT NEW.id, NEW.unit_id, NEW.danger, e.measure, e.day, e.delta, false
        FROM casedesk_spell_entries(NEW.status, NEW.wanted_on, NEW.resolved_on) e;
    ELSIF (NEW.status, NEW.wanted_on, NEW.resolved_on) IS DISTINCT FROM (OLD.status, OLD.wanted_on, OLD.resolved_on) THEN
      -- The same spell, changed: what differs between the two versions. Resolving a wanted case
      -- is news; anything else (another outcome or day, an outcome withdrawn, another start)
      -- corrects what was recorded.
      INSERT INTO case_ledger (case_id, unit_id, danger, measure, day, delta, correction)
        SELECT NEW.id, NEW.unit_id, NEW.danger, x.measure, x.day, sum(x.delta),
               OLD.status <> 'wanted' OR NEW.wanted_on <> OLD.wanted_on
        FROM (
          SELECT o.measure, o.day, -o.delta AS delta FROM casedesk_spell_entries(OLD.status, OLD.wanted_on, OLD.resolved_on) o
          UNION ALL
          SELECT n.measure, n.day, n.delta FROM casedesk_spell_entries(NEW.status, NEW.wanted_on, NEW.resolved_on) n
        ) x
        GROUP BY x.measure, x.day
        HAVING sum(x.delta) <> 0;
    END IF;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER cases_ledger AFTER INSERT OR UPDATE OF status, wanted_on, resolved_on, spell, unit_id, danger ON cases
  FOR EACH ROW EXECUTE FUNCTION public.casedesk_case_ledger();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.casedesk_decision_ledger() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    measure text := CASE NEW.kind WHEN 'wanted' THEN 'wanted_decision' ELSE 'cancellation_decision' END;
    corrected case_decisions%ROWTYPE;
  BEGIN
    IF NEW.supersedes_id IS NOT NULL THEN
      -- A correction: the document it replaces no longer counts, on its own day.
      SELECT * INTO corrected FROM case_decisions WHERE id = NEW.supersedes_id;
      IF corrected.case_id <> NEW.case_id OR corrected.kind <> NEW.kind THEN
        RAISE EXCEPTION 'decision %: it may only supersede a decision of its own case and kind', NEW.id
          USING ERRCODE = 'check_violation';
      END IF;
      INSERT INTO case_ledger (case_id, unit_id, danger, measure, day, delta, correction)
        SELECT NEW.case_id, c.unit_id, c.danger, measure, corrected.decided_on, -1, true
        FROM cases c WHERE c.id = NEW.case_id;
    END IF;
    INSERT INTO case_ledger (case_id, unit_id, danger, measure, day, delta, correction)
      SELECT NEW.case_id, c.unit_id, c.danger, measure, NEW.decided_on, 1, NEW.supersedes_id IS NOT NULL
      FROM cases c WHERE c.id = NEW.case_id;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER case_decisions_ledger AFTER INSERT ON case_decisions
  FOR EACH ROW EXECUTE FUNCTION public.casedesk_decision_ledger();
--> statement-breakpoint
-- Decisions and the journal are history: nothing in them is changed or removed.
CREATE TRIGGER case_decisions_append_only BEFORE UPDATE OR DELETE ON case_decisions
  FOR EACH ROW EXECUTE FUNCTION public.casedesk_refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_decisions_no_truncate BEFORE TRUNCATE ON case_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_ledger_append_only BEFORE UPDATE OR DELETE ON case_ledger
  FOR EACH ROW EXECUTE FUNCTION public.casedesk_refuse_change();
--> statement-breakpoint
CREATE TRIGGER case_ledger_no_truncate BEFORE TRUNCATE ON case_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_refuse_change();
--> statement-breakpoint
-- The decisions cases held in their own columns become documents: one wanted decision for each
-- case (its number may be unknown), and a cancellation for each one with a date or a number.
INSERT INTO case_decisions (case_id, kind, number, decided_on, authority, actor_label, recorded_at)
  SELECT id, 'wanted', wanted_decision_no, wanted_on, wanted_authority, 'migration', created_at FROM cases;
--> statement-breakpoint
INSERT INTO case_decisions (case_id, kind, number, decided_on, actor_label, recorded_at)
  SELECT id, 'cancellation', cancellation_decision_no, coalesce(cancelled_on, resolved_on), 'migration', updated_at FROM cases
  WHERE (cancelled_on IS NOT NULL OR cancellation_decision_no IS NOT NULL) AND coalesce(cancelled_on, resolved_on) IS NOT NULL;
--> statement-breakpoint
-- The decisions' trigger has journalled them; the outcomes are journalled from the cases.
INSERT INTO case_ledger (case_id, unit_id, danger, measure, day, delta, correction)
  SELECT c.id, c.unit_id, c.danger, e.measure, e.day, e.delta, false
  FROM cases c, casedesk_spell_entries(c.status, c.wanted_on, c.resolved_on) e;
