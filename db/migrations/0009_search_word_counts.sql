-- Counts, in search_vocabulary.case_count, how many cases have each word, so that the search can
-- drive its index lookup by the rarest word of a query. Replaces the triggers of migration 0005.
-- Written by hand (drizzle-kit generate --custom). Words are written in order, so concurrent
-- writers lock vocabulary rows in the same order and cannot deadlock.
DROP TRIGGER IF EXISTS cases_collect_search_words_insert ON cases;
--> statement-breakpoint
DROP TRIGGER IF EXISTS cases_collect_search_words_update ON cases;
--> statement-breakpoint
DROP FUNCTION IF EXISTS public.casedesk_collect_search_words();
--> statement-breakpoint
-- Adds `delta` for each (case, word) pair given, creating words as needed.
CREATE OR REPLACE FUNCTION public.casedesk_add_word_counts(pairs jsonb) RETURNS void
  LANGUAGE sql
  AS $$
    INSERT INTO search_vocabulary (token, case_count)
      SELECT p.word, greatest(sum(p.delta), 0)::int
        FROM jsonb_to_recordset(pairs) AS p(word text, delta int)
        GROUP BY p.word HAVING sum(p.delta) <> 0
        ORDER BY p.word
      ON CONFLICT (token) DO UPDATE
        SET case_count = greatest(search_vocabulary.case_count + (
          SELECT sum(q.delta) FROM jsonb_to_recordset(pairs) AS q(word text, delta int) WHERE q.word = excluded.token
        )::int, 0)
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.casedesk_count_words_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM public.casedesk_add_word_counts(coalesce((
      SELECT jsonb_agg(jsonb_build_object('word', word, 'delta', 1))
        FROM (SELECT DISTINCT n.id, word FROM new_rows n, unnest(string_to_array(n.search_key, ' ')) AS word WHERE word <> '') w
    ), '[]'::jsonb));
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.casedesk_count_words_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM public.casedesk_add_word_counts(coalesce((
      SELECT jsonb_agg(jsonb_build_object('word', word, 'delta', delta))
        FROM (
          SELECT DISTINCT n.id, word, 1 AS delta
            FROM new_rows n JOIN old_rows o ON o.id = n.id, unnest(string_to_array(n.search_key, ' ')) AS word
            WHERE word <> '' AND o.search_key IS DISTINCT FROM n.search_key
          UNION ALL
          SELECT DISTINCT o.id, word, -1
            FROM old_rows o JOIN new_rows n ON n.id = o.id, unnest(string_to_array(o.search_key, ' ')) AS word
            WHERE word <> '' AND o.search_key IS DISTINCT FROM n.search_key
        ) w
    ), '[]'::jsonb));
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.casedesk_count_words_deleted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM public.casedesk_add_word_counts(coalesce((
      SELECT jsonb_agg(jsonb_build_object('word', word, 'delta', -1))
        FROM (SELECT DISTINCT o.id, word FROM old_rows o, unnest(string_to_array(o.search_key, ' ')) AS word WHERE word <> '') w
    ), '[]'::jsonb));
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER cases_count_words_insert AFTER INSERT ON cases
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_count_words_inserted();
--> statement-breakpoint
CREATE TRIGGER cases_count_words_update AFTER UPDATE ON cases
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_count_words_updated();
--> statement-breakpoint
CREATE TRIGGER cases_count_words_delete AFTER DELETE ON cases
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_count_words_deleted();
--> statement-breakpoint
INSERT INTO search_vocabulary (token, case_count)
  SELECT word, count(DISTINCT cases.id)::int FROM cases, unnest(string_to_array(cases.search_key, ' ')) AS word
  WHERE word <> '' GROUP BY word ORDER BY word
  ON CONFLICT (token) DO UPDATE SET case_count = excluded.case_count;
