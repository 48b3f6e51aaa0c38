-- What a function declaration needs beyond the model's Routine: its arguments one by one (name, mode, type as
-- format_type prints it, output columns of RETURNS TABLE left out), language, attributes and source text. Run with
-- an empty search_path (as introspection is), so type names come out qualified. Keyed like the model: schema,
-- name and pg_get_function_identity_arguments.
SELECT n.nspname::text AS schema,
       p.proname::text AS name,
       pg_get_function_identity_arguments(p.oid) AS identity_args,
       coalesce(p.proargnames, '{}')::text[] AS arg_names,
       coalesce(p.proargmodes::text[], array_fill('i'::text, ARRAY[cardinality(p.proargtypes::oid[])])) AS arg_modes,
       ARRAY(SELECT format_type(t, NULL)
             FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[])) WITH ORDINALITY AS a(t, i)
             ORDER BY a.i) AS arg_types,
       l.lanname::text AS language,
       p.provolatile::text AS volatility,
       p.proisstrict AS strict,
       p.prosecdef AS security_definer,
       p.proleakproof AS leakproof,
       p.proparallel::text AS parallel,
       p.procost::float8 AS cost,
       p.prorows::float8 AS rows,
       p.proretset AS returns_set,
       p.prosrc AS source
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
JOIN pg_language l ON l.oid = p.prolang
WHERE p.prokind IN ('f', 'p', 'w')
  AND n.nspname NOT LIKE 'pg\_%'
  AND n.nspname NOT IN ('information_schema', 'keikaku', 'keikaku_archive')
  AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))
