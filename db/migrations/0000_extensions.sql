-- Search support. Written by hand (drizzle-kit generate --custom); valid on PostgreSQL 15 and on
-- PGlite's PostgreSQL 18. Functions are schema-qualified so that expression indexes and generated
-- columns do not depend on the caller's search_path.
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
--> statement-breakpoint
-- unaccent() is STABLE because its dictionary could change; ours never does, and an IMMUTABLE
-- wrapper is what lets it appear in a generated column and an index.
CREATE OR REPLACE FUNCTION public.casedesk_unaccent(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, input) $$;
--> statement-breakpoint
-- The search key of any text: no zero-width or bidi-control characters, no diacritics (đ → d),
-- lower case, single spaces. Applied to stored names (generated column) and to queries alike.
CREATE OR REPLACE FUNCTION public.casedesk_search_key(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$
    SELECT btrim(regexp_replace(
      lower(public.casedesk_unaccent(
        regexp_replace(input, '[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]', '', 'g')
      )),
      '\s+', ' ', 'g'))
  $$;
--> statement-breakpoint
-- A case's key covers its full name and every alias. array_to_string() is only STABLE in general,
-- but for text[] it depends on nothing outside its arguments.
CREATE OR REPLACE FUNCTION public.casedesk_case_search_key(full_name text, aliases text[]) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT public.casedesk_search_key(coalesce(full_name, '') || ' ' || array_to_string(coalesce(aliases, '{}'::text[]), ' ')) $$;
