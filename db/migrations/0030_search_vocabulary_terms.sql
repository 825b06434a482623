-- search_vocabulary counts every term of the cases' search_terms (migration 0028): the words, as
-- before, and also the first and last words marked, the last with its field's length, and the
-- birth years, so that the search knows how many cases each term of its plans would read (`<van`,
-- Văn as a family name, is rare where `van` is in a third of the cases). Replaces the trigger
-- functions of migration 0009; the search matches typos against the words only. Written by hand
-- (drizzle-kit generate --custom).
CREATE OR REPLACE FUNCTION public.casedesk_count_words_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    PERFORM public.casedesk_add_word_counts(coalesce((
      SELECT jsonb_agg(jsonb_build_object('word', term, 'delta', 1))
        FROM (SELECT DISTINCT n.id, term FROM new_rows n, unnest(n.search_terms) AS term) w
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
      SELECT jsonb_agg(jsonb_build_object('word', term, 'delta', delta))
        FROM (
          SELECT DISTINCT n.id, term, 1 AS delta
            FROM new_rows n JOIN old_rows o ON o.id = n.id, unnest(n.search_terms) AS term
            WHERE o.search_terms IS DISTINCT FROM n.search_terms
          UNION ALL
          SELECT DISTINCT o.id, term, -1
            FROM old_rows o JOIN new_rows n ON n.id = o.id, unnest(o.search_terms) AS term
            WHERE o.search_terms IS DISTINCT FROM n.search_terms
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
      SELECT jsonb_agg(jsonb_build_object('word', term, 'delta', -1))
        FROM (SELECT DISTINCT o.id, term FROM old_rows o, unnest(o.search_terms) AS term) w
    ), '[]'::jsonb));
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
DELETE FROM search_vocabulary;
--> statement-breakpoint
INSERT INTO search_vocabulary (token, case_count)
  SELECT term, count(*)::int FROM cases, unnest(cases.search_terms) AS term
  GROUP BY term ORDER BY term;
