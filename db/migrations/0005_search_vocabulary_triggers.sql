-- Keeps search_vocabulary holding every word of every case's search key, and gives the search its
-- edit-distance function. Written by hand (drizzle-kit generate --custom).
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA public;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.casedesk_collect_search_words() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    INSERT INTO search_vocabulary (token)
      SELECT DISTINCT word FROM changed, unnest(string_to_array(changed.search_key, ' ')) AS word
      WHERE word <> ''
      ON CONFLICT DO NOTHING;
    RETURN NULL;
  END
  $$;
--> statement-breakpoint
CREATE TRIGGER cases_collect_search_words_insert AFTER INSERT ON cases
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_collect_search_words();
--> statement-breakpoint
CREATE TRIGGER cases_collect_search_words_update AFTER UPDATE ON cases
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION public.casedesk_collect_search_words();
--> statement-breakpoint
INSERT INTO search_vocabulary (token)
  SELECT DISTINCT word FROM cases, unnest(string_to_array(cases.search_key, ' ')) AS word
  WHERE word <> ''
  ON CONFLICT DO NOTHING;
