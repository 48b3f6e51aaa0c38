-- Which of the archive names $1 (a JSON array of text) keikaku_archive's catalog lists, with their table present.
SELECT c.name
FROM keikaku_archive.catalog c
WHERE c.name IN (SELECT pg_catalog.json_array_elements_text($1::text::json))
  AND pg_catalog.to_regclass(pg_catalog.quote_ident('keikaku_archive') || '.' || pg_catalog.quote_ident(c.name)) IS NOT NULL
