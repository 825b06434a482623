-- The terms a case is found by, for the search's index (migration 0029). Written by hand
-- (drizzle-kit generate --custom). For the full name and for each alias: every word of its search
-- key, its first word marked `<` and its last marked `>`, and its last again with the number of
-- its words (`nguyen van duc` gives nguyen, van, duc, <nguyen, duc>, duc>3), so that a family and a
-- given name without the middle one, a given name alone, or a name laid out as typed are one index
-- lookup rather than every case with the words somewhere; and the birth year as `y1985`, so that
-- `duc 1985` is one lookup too. Sorted, without repeats.
CREATE OR REPLACE FUNCTION public.casedesk_search_terms(full_name text, aliases text[], birth_year smallint) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT term ORDER BY term), '{}'::text[])
    FROM (
      SELECT unnest(f.words || ('<' || f.words[1]) || (f.words[cardinality(f.words)] || '>')
                    || (f.words[cardinality(f.words)] || '>' || cardinality(f.words))) AS term
        FROM (
          SELECT string_to_array(public.casedesk_search_key(field), ' ') AS words
            FROM unnest(array_prepend(coalesce(full_name, ''), coalesce(aliases, '{}'::text[]))) AS field
        ) f
        WHERE cardinality(f.words) > 0
      UNION ALL
      SELECT 'y' || birth_year WHERE birth_year IS NOT NULL
    ) t
    WHERE term <> ''
  $$;
