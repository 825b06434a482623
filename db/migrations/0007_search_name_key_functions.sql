-- The words of a text's search key in alphabetical order: `Văn Đức Nguyễn` and `Nguyễn Văn Đức`
-- both give `duc nguyen van`, so that an exact name typed in any order is one b-tree lookup.
-- Written by hand (drizzle-kit generate --custom).
CREATE OR REPLACE FUNCTION public.casedesk_sorted_words(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT coalesce(string_agg(word, ' ' ORDER BY word), '')
    FROM unnest(string_to_array(public.casedesk_search_key(input), ' ')) AS word
    WHERE word <> ''
  $$;
