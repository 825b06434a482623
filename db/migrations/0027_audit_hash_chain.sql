-- The audit log as a hash chain (written by hand: drizzle-kit generate --custom). Each row carries
-- its place in the chain and sha256 over the previous row's hash and its own content, so that a
-- row changed, removed or slipped in by someone who can bypass the append-only triggers (a
-- superuser, the tables' owner) breaks the chain where it happened: `casedesk audit verify`.
--
-- Concurrency: the chain's head is one row of audit_chain; each insert updates it, so inserts
-- from several connections take their places one after another, each waiting only for the
-- previous inserter's commit (the audit row is a command's last statement). A rolled-back insert
-- rolls back its head update too: the numbers have no gaps. casedesk writes one audit row a
-- transaction; a bulk load of many rows in one transaction should come in batches of a few
-- thousand, since each update of the head follows the versions the same transaction left before it.
--
-- The hash covers the columns named in casedesk_audit_row_hash; a later migration that adds a
-- column to the chain must add it there and keep old rows verifiable.
-- Where the chain starts: the "previous hash" of row 1.
CREATE FUNCTION public.casedesk_audit_genesis() RETURNS text
  LANGUAGE sql IMMUTABLE
  AS $$ SELECT encode(sha256(convert_to('casedesk audit chain', 'UTF8')), 'hex') $$;
--> statement-breakpoint
-- No SET clause: a plain SQL function is inlined into the trigger's cached statement instead of
-- being planned again for every row (it names only pg_catalog functions, always found first).
CREATE FUNCTION public.casedesk_audit_row_hash(prev text, seq bigint, r public.audit_log) RETURNS text
  LANGUAGE sql STABLE
  AS $$
    SELECT encode(sha256(convert_to(prev || '|' || jsonb_build_array(
      seq, r.id, to_char(r.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), r.member_id, r.platform,
      r.workspace_id, r.user_id, r.channel_id, r.invocation_id, r.command, r.args, r.case_codes,
      r.outcome, r.detail, r.os_user, r.os_host)::text, 'UTF8')), 'hex')
  $$;
--> statement-breakpoint
-- Runs as its owner (the migrations' role), so the bot's role needs no right on audit_chain.
CREATE FUNCTION public.casedesk_audit_chain() RETURNS trigger
  LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, public
  AS $$
  BEGIN
    UPDATE public.audit_chain SET seq = seq + 1, hash = public.casedesk_audit_row_hash(hash, seq + 1, NEW)
      WHERE id RETURNING seq, hash INTO NEW.chain_seq, NEW.hash;
    IF NOT FOUND THEN
      RAISE EXCEPTION 'audit_chain has no head row';
    END IF;
    RETURN NEW;
  END
  $$;
--> statement-breakpoint
-- The rows written before this migration join the chain in the order they were numbered.
INSERT INTO audit_chain (id, seq, hash) VALUES (true, 0, public.casedesk_audit_genesis());
--> statement-breakpoint
ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
DO $$
DECLARE
  r public.audit_log;
  h text;
  s bigint := 0;
BEGIN
  SELECT hash INTO h FROM audit_chain;
  FOR r IN SELECT * FROM audit_log ORDER BY id LOOP
    s := s + 1;
    h := casedesk_audit_row_hash(h, s, r);
    UPDATE audit_log SET chain_seq = s, hash = h WHERE id = r.id;
  END LOOP;
  UPDATE audit_chain SET seq = s, hash = h;
END
$$;
--> statement-breakpoint
ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;
--> statement-breakpoint
CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION public.casedesk_audit_chain();
--> statement-breakpoint
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE OR TRUNCATE ON audit_chain
  FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_refuse_change();
