-- keikaku's catalog oracle for tests: one line per user-visible schema object, sorted bytewise.
-- Two databases hold the same schema exactly when these lines are equal. Creation order, attnum order of table
-- columns, oids and the names Postgres gives hidden objects (identity sequences, array and row types) do not
-- show; everything a user declares does. The schemas keikaku and keikaku_archive (keikaku's bookkeeping),
-- objects owned by extensions, and the built-in `public` schema's own line, owner and grants are left out.
-- Text that Postgres prints over several lines (view and function bodies) is kept on one line: `\` becomes `\\`,
-- a line break `\n`, a carriage return `\r`. Read-only; runs unchanged on PostgreSQL 13–18 and PGlite.
--   psql -X -A -t -q -v ON_ERROR_STOP=1 -d DB -f test/support/catalog-snapshot.sql
WITH
user_ns AS (
  SELECT n.oid, n.nspname, n.nspowner, n.nspacl
    FROM pg_catalog.pg_namespace n
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'keikaku', 'keikaku_archive')
     AND n.nspname !~ '^pg_(toast_)?temp_'
),
from_extension AS (
  SELECT d.classid, d.objid FROM pg_catalog.pg_depend d WHERE d.deptype = 'e'
),
rels AS (
  SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.relowner, c.relacl, c.reloptions, c.relispartition,
         c.relrowsecurity, c.relforcerowsecurity, c.relreplident, c.relispopulated, c.relam,
         quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS qname
    FROM pg_catalog.pg_class c
    JOIN user_ns n ON n.oid = c.relnamespace
   WHERE NOT EXISTS (SELECT 1 FROM from_extension e WHERE e.classid = 'pg_catalog.pg_class'::regclass AND e.objid = c.oid)
),
tables AS (
  SELECT * FROM rels WHERE relkind IN ('r', 'p', 'f')
),
types AS (
  SELECT t.oid, t.typname, t.typtype, t.typowner, t.typacl, t.typrelid, t.typbasetype, t.typtypmod, t.typnotnull,
         t.typcollation, t.typdefaultbin,
         quote_ident(n.nspname) || '.' || quote_ident(t.typname) AS qname
    FROM pg_catalog.pg_type t
    JOIN user_ns n ON n.oid = t.typnamespace
   WHERE NOT EXISTS (SELECT 1 FROM from_extension e WHERE e.classid = 'pg_catalog.pg_type'::regclass AND e.objid = t.oid)
     -- array types, multiranges and the row types of tables, views and sequences come with their owner object
     AND t.typtype IN ('b', 'c', 'd', 'e', 'r')
     AND NOT (t.typtype = 'b' AND t.typelem <> 0 AND t.typlen = -1)
     AND (t.typrelid = 0 OR (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = t.typrelid) = 'c')
),
procs AS (
  SELECT p.oid, p.prokind, p.proowner, p.proacl,
         quote_ident(n.nspname) || '.' || quote_ident(p.proname)
           || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')' AS signature
    FROM pg_catalog.pg_proc p
    JOIN user_ns n ON n.oid = p.pronamespace
   WHERE NOT EXISTS (SELECT 1 FROM from_extension e WHERE e.classid = 'pg_catalog.pg_proc'::regclass AND e.objid = p.oid)
     -- constructors Postgres makes for a range type come with it
     AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d
                      WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
),
role_name AS (
  -- grantee 0 is PUBLIC
  SELECT 0::oid AS oid, 'PUBLIC'::text AS name
  UNION ALL
  SELECT r.oid, quote_ident(r.rolname) FROM pg_catalog.pg_roles r
),
-- Every object that carries privileges: its effective ACL and the one it has before any GRANT or REVOKE.
acls AS (
  SELECT 'schema'::text AS kind, quote_ident(nspname) AS name, coalesce(nspacl, acldefault('n', nspowner)) AS acl,
         acldefault('n', nspowner) AS base
    FROM user_ns WHERE nspname <> 'public'
  UNION ALL
  SELECT CASE relkind WHEN 'S' THEN 'sequence' ELSE 'table' END, qname,
         coalesce(relacl, acldefault(CASE relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", relowner)),
         acldefault(CASE relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", relowner)
    FROM rels WHERE relkind IN ('r', 'p', 'f', 'v', 'm', 'S')
  UNION ALL
  SELECT 'column', t.qname || '.' || quote_ident(a.attname), a.attacl, NULL::aclitem[]
    FROM tables t JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid
   WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
  UNION ALL
  SELECT CASE prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, signature,
         coalesce(proacl, acldefault('f', proowner)), acldefault('f', proowner)
    FROM procs
  UNION ALL
  SELECT 'type', qname, coalesce(typacl, acldefault('T', typowner)), acldefault('T', typowner)
    FROM types
),
acl_entries AS (
  SELECT a.kind, a.name, e.grantee, e.privilege_type, e.is_grantable, false AS in_base
    FROM acls a CROSS JOIN LATERAL aclexplode(a.acl) e
  UNION ALL
  SELECT a.kind, a.name, e.grantee, e.privilege_type, e.is_grantable, true
    FROM acls a CROSS JOIN LATERAL aclexplode(a.base) e
),
-- Comments on objects in user schemas (and on those schemas), named as pg_identify_object names them.
comments AS (
  SELECT o.type, o.identity, d.description
    FROM pg_catalog.pg_description d
   CROSS JOIN LATERAL pg_catalog.pg_identify_object(d.classoid, d.objoid, d.objsubid) o
   WHERE NOT EXISTS (SELECT 1 FROM from_extension e WHERE e.classid = d.classoid AND e.objid = d.objoid)
     AND ((d.classoid = 'pg_catalog.pg_namespace'::regclass AND d.objoid IN (SELECT oid FROM user_ns))
          OR o.schema IN (SELECT nspname FROM user_ns))
     AND NOT (d.classoid = 'pg_catalog.pg_namespace'::regclass AND o.identity = 'public'
              AND d.description = 'standard public schema')
),
lines AS (
  SELECT 'schema ' || quote_ident(nspname) AS line FROM user_ns WHERE nspname <> 'public'
  UNION ALL
  SELECT 'owner schema ' || quote_ident(nspname) || ' ' || (SELECT name FROM role_name WHERE oid = nspowner)
    FROM user_ns WHERE nspname <> 'public'
  UNION ALL
  SELECT 'extension ' || quote_ident(x.extname) || ' in ' || quote_ident(n.nspname)
    FROM pg_catalog.pg_extension x JOIN pg_catalog.pg_namespace n ON n.oid = x.extnamespace
   WHERE x.extname <> 'plpgsql'
  UNION ALL
  -- enum labels in their sort order
  SELECT 'enum ' || t.qname || ' ('
         || coalesce((SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder)
                        FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '') || ')'
    FROM types t WHERE t.typtype = 'e'
  UNION ALL
  SELECT 'domain ' || t.qname || ' ' || format_type(t.typbasetype, t.typtypmod)
         || CASE WHEN t.typnotnull THEN ' not null' ELSE '' END
         || coalesce(' default ' || pg_catalog.pg_get_expr(t.typdefaultbin, 0), '')
         || CASE WHEN t.typcollation <> 0
                  AND t.typcollation <> (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = t.typbasetype)
                 THEN ' collate ' || (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                                        FROM pg_catalog.pg_collation co
                                        JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                                       WHERE co.oid = t.typcollation)
                 ELSE '' END
    FROM types t WHERE t.typtype = 'd'
  UNION ALL
  -- a domain's NOT NULL is on its line (PostgreSQL 17+ also keeps it as a constraint row)
  SELECT 'domain constraint ' || t.qname || '.' || quote_ident(co.conname) || ' ' || pg_catalog.pg_get_constraintdef(co.oid)
         || CASE WHEN NOT co.convalidated THEN ' not_validated' ELSE '' END
    FROM types t JOIN pg_catalog.pg_constraint co ON co.contypid = t.oid
   WHERE t.typtype = 'd' AND co.contype <> 'n'
  UNION ALL
  -- attributes of a composite type in their declared order, which is part of the type
  SELECT 'composite ' || t.qname || ' ('
         || coalesce((SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                                        || CASE WHEN a.attcollation <> 0
                                                 AND a.attcollation <> (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = a.atttypid)
                                                THEN ' collate ' || a.attcollation::regcollation::text ELSE '' END,
                                        ', ' ORDER BY a.attnum)
                        FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '') || ')'
    FROM types t WHERE t.typtype = 'c'
  UNION ALL
  SELECT 'range ' || t.qname || ' of ' || format_type(r.rngsubtype, NULL)
         || coalesce(' subtype_diff ' || nullif(r.rngsubdiff, 0)::regproc::text, '')
    FROM types t JOIN pg_catalog.pg_range r ON r.rngtypid = t.oid WHERE t.typtype = 'r'
  UNION ALL
  SELECT 'base type ' || t.qname FROM types t WHERE t.typtype = 'b'
  UNION ALL
  SELECT 'owner type ' || t.qname || ' ' || (SELECT name FROM role_name WHERE oid = t.typowner) FROM types t
  UNION ALL
  SELECT 'collation ' || quote_ident(n.nspname) || '.' || quote_ident(co.collname)
         || ' provider ' || co.collprovider::text
         || CASE WHEN co.collisdeterministic THEN '' ELSE ' nondeterministic' END
         || coalesce(' lc_collate ' || quote_literal(co.collcollate), '')
         || coalesce(' lc_ctype ' || quote_literal(co.collctype), '')
    FROM pg_catalog.pg_collation co JOIN user_ns n ON n.oid = co.collnamespace
   WHERE NOT EXISTS (SELECT 1 FROM from_extension e WHERE e.classid = 'pg_catalog.pg_collation'::regclass AND e.objid = co.oid)
  UNION ALL
  -- Sequences of identity columns are named by their column: Postgres picks their names.
  SELECT CASE WHEN dep.deptype = 'i'
              THEN 'identity sequence ' || (SELECT t.qname FROM rels t WHERE t.oid = dep.refobjid) || '.'
                   || (SELECT quote_ident(a.attname) FROM pg_catalog.pg_attribute a
                        WHERE a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid)
              ELSE 'sequence ' || s.qname END
         || ' as ' || format_type(q.seqtypid, NULL)
         || ' start ' || q.seqstart || ' increment ' || q.seqincrement
         || ' min ' || q.seqmin || ' max ' || q.seqmax || ' cache ' || q.seqcache
         || CASE WHEN q.seqcycle THEN ' cycle' ELSE '' END
         || CASE s.relpersistence WHEN 'u' THEN ' unlogged' ELSE '' END
         || CASE WHEN dep.deptype = 'a'
                 THEN ' owned_by ' || (SELECT t.qname FROM rels t WHERE t.oid = dep.refobjid) || '.'
                      || (SELECT quote_ident(a.attname) FROM pg_catalog.pg_attribute a
                           WHERE a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid)
                 ELSE '' END
    FROM rels s
    JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid
    LEFT JOIN pg_catalog.pg_depend dep
      ON dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = s.oid
     AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.deptype IN ('a', 'i')
   WHERE s.relkind = 'S'
  UNION ALL
  SELECT 'table ' || t.qname
         || CASE t.relkind WHEN 'p' THEN ' partitioned' WHEN 'f' THEN ' foreign' ELSE '' END
         || CASE t.relpersistence WHEN 'u' THEN ' unlogged' ELSE '' END
         || coalesce(' using ' || nullif((SELECT am.amname FROM pg_catalog.pg_am am WHERE am.oid = t.relam), 'heap'), '')
         || CASE WHEN t.relispartition
                 THEN ' partition of ' || (SELECT p.qname FROM rels p JOIN pg_catalog.pg_inherits i ON i.inhparent = p.oid WHERE i.inhrelid = t.oid)
                      || ' ' || pg_catalog.pg_get_expr((SELECT c.relpartbound FROM pg_catalog.pg_class c WHERE c.oid = t.oid), t.oid)
                 ELSE coalesce(' inherits ' || (SELECT string_agg(i.inhparent::regclass::text, ', ' ORDER BY i.inhseqno)
                                                   FROM pg_catalog.pg_inherits i WHERE i.inhrelid = t.oid), '') END
         || coalesce(' partition by ' || pg_catalog.pg_get_partkeydef(t.oid), '')
         || coalesce(' with (' || array_to_string(t.reloptions, ', ') || ')', '')
         || CASE WHEN t.relrowsecurity THEN ' row_security' ELSE '' END
         || CASE WHEN t.relforcerowsecurity THEN ' force_row_security' ELSE '' END
         || CASE t.relreplident WHEN 'n' THEN ' replica_identity nothing' WHEN 'f' THEN ' replica_identity full'
                                WHEN 'i' THEN ' replica_identity index' ELSE '' END
    FROM tables t
  UNION ALL
  SELECT 'column ' || t.qname || '.' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || CASE a.attidentity WHEN 'a' THEN ' generated always as identity'
                               WHEN 'd' THEN ' generated by default as identity' ELSE '' END
         || CASE WHEN a.attgenerated <> '' THEN ' generated always as (' || pg_catalog.pg_get_expr(d.adbin, d.adrelid) || ') '
                                                 || CASE a.attgenerated WHEN 's' THEN 'stored' ELSE 'virtual' END
                 WHEN d.adbin IS NOT NULL THEN ' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid)
                 ELSE '' END
         || CASE WHEN a.attcollation <> 0
                  AND a.attcollation <> (SELECT b.typcollation FROM pg_catalog.pg_type b WHERE b.oid = a.atttypid)
                 THEN ' collate ' || (SELECT quote_ident(cn.nspname) || '.' || quote_ident(co.collname)
                                        FROM pg_catalog.pg_collation co
                                        JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                                       WHERE co.oid = a.attcollation)
                 ELSE '' END
    FROM tables t
    JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  UNION ALL
  -- PostgreSQL 18 keeps a column's NOT NULL as a constraint row too: its own prefix, so callers can set it aside
  SELECT CASE co.contype WHEN 'n' THEN 'not null constraint ' ELSE 'constraint ' END
         || t.qname || '.' || quote_ident(co.conname) || ' ' || pg_catalog.pg_get_constraintdef(co.oid)
         || CASE WHEN NOT co.convalidated THEN ' not_validated' ELSE '' END
    FROM tables t JOIN pg_catalog.pg_constraint co ON co.conrelid = t.oid
  UNION ALL
  SELECT 'index ' || quote_ident(n.nspname) || '.' || quote_ident(ic.relname) || ' ' || pg_catalog.pg_get_indexdef(x.indexrelid)
         || CASE WHEN x.indisvalid THEN '' ELSE ' invalid' END
         || CASE WHEN x.indisclustered THEN ' clustered' ELSE '' END
         || CASE WHEN x.indisreplident THEN ' replica_identity' ELSE '' END
    FROM pg_catalog.pg_index x
    JOIN rels t ON t.oid = x.indrelid AND t.relkind IN ('r', 'p', 'f', 'm')
    JOIN pg_catalog.pg_class ic ON ic.oid = x.indexrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = ic.relnamespace
   -- A partition's index that Postgres made for its parent's index comes with that one (Postgres names it);
   -- one that serves a constraint of the partition is listed as that constraint's index.
   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhrelid = x.indexrelid)
      OR EXISTS (SELECT 1 FROM pg_catalog.pg_constraint co WHERE co.conindid = x.indexrelid AND co.conrelid = x.indrelid)
  UNION ALL
  SELECT CASE v.relkind WHEN 'v' THEN 'view ' ELSE 'materialized view ' END || v.qname
         || coalesce(' with (' || array_to_string(v.reloptions, ', ') || ')', '')
         || CASE WHEN v.relkind = 'm' AND NOT v.relispopulated THEN ' not populated' ELSE '' END
         || ' as ' || pg_catalog.pg_get_viewdef(v.oid)
    FROM rels v WHERE v.relkind IN ('v', 'm')
  UNION ALL
  -- columns of views: their types and defaults are not all in the view's text
  SELECT 'view column ' || v.qname || '.' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
         || coalesce(' default ' || pg_catalog.pg_get_expr(d.adbin, d.adrelid), '')
    FROM rels v
    JOIN pg_catalog.pg_attribute a ON a.attrelid = v.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE v.relkind IN ('v', 'm')
  UNION ALL
  SELECT 'owner ' || CASE r.relkind WHEN 'S' THEN 'sequence ' WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view '
                                    ELSE 'table ' END
         || r.qname || ' ' || (SELECT name FROM role_name WHERE oid = r.relowner)
    FROM rels r
   WHERE r.relkind IN ('r', 'p', 'f', 'v', 'm')
      OR (r.relkind = 'S' AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                                           WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = r.oid
                                             AND dep.deptype = 'i'))
  UNION ALL
  SELECT 'rule ' || r.qname || '.' || quote_ident(w.rulename) || ' ' || pg_catalog.pg_get_ruledef(w.oid)
         || CASE w.ev_enabled WHEN 'O' THEN '' ELSE ' enabled ' || w.ev_enabled::text END
    FROM rels r JOIN pg_catalog.pg_rewrite w ON w.ev_class = r.oid
   WHERE w.rulename <> '_RETURN'
  UNION ALL
  -- pg_get_functiondef refuses aggregates; they are described by their parts
  SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' WHEN 'w' THEN 'window function ' ELSE 'function ' END
         || p.signature || ' ' || pg_catalog.pg_get_functiondef(p.oid)
    FROM procs p WHERE p.prokind <> 'a'
  UNION ALL
  SELECT 'aggregate ' || p.signature || ' sfunc ' || g.aggtransfn::regproc::text || ' stype ' || format_type(g.aggtranstype, NULL)
         || coalesce(' finalfunc ' || nullif(g.aggfinalfn, 0)::regproc::text, '')
         || coalesce(' combinefunc ' || nullif(g.aggcombinefn, 0)::regproc::text, '')
         || coalesce(' initcond ' || quote_literal(g.agginitval), '')
         || CASE g.aggkind WHEN 'n' THEN '' ELSE ' kind ' || g.aggkind::text END
    FROM procs p JOIN pg_catalog.pg_aggregate g ON g.aggfnoid = p.oid
  UNION ALL
  SELECT 'owner ' || CASE p.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END || p.signature || ' '
         || (SELECT name FROM role_name WHERE oid = p.proowner)
    FROM procs p
  UNION ALL
  SELECT 'trigger ' || r.qname || '.' || quote_ident(g.tgname) || ' ' || pg_catalog.pg_get_triggerdef(g.oid)
         || CASE g.tgenabled WHEN 'O' THEN '' WHEN 'D' THEN ' disabled' WHEN 'R' THEN ' enabled replica'
                             WHEN 'A' THEN ' enabled always' ELSE '' END
    FROM rels r JOIN pg_catalog.pg_trigger g ON g.tgrelid = r.oid
   WHERE NOT g.tgisinternal
  UNION ALL
  SELECT 'policy ' || r.qname || '.' || quote_ident(p.polname)
         || CASE WHEN p.polpermissive THEN ' permissive' ELSE ' restrictive' END
         || ' for ' || CASE p.polcmd WHEN 'r' THEN 'select' WHEN 'a' THEN 'insert' WHEN 'w' THEN 'update'
                                     WHEN 'd' THEN 'delete' ELSE 'all' END
         || ' to ' || (SELECT string_agg(rn.name, ', ' ORDER BY rn.name)
                         FROM unnest(p.polroles) pr(oid) JOIN role_name rn ON rn.oid = pr.oid)
         || coalesce(' using (' || pg_catalog.pg_get_expr(p.polqual, p.polrelid) || ')', '')
         || coalesce(' with check (' || pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) || ')', '')
    FROM rels r JOIN pg_catalog.pg_policy p ON p.polrelid = r.oid
  UNION ALL
  SELECT 'comment on ' || c.type || ' ' || c.identity || ' is ' || quote_literal(c.description) FROM comments c
  UNION ALL
  -- privileges beyond the ones an object starts with, and the ones taken from it
  SELECT DISTINCT 'grant ' || lower(e.privilege_type) || ' on ' || e.kind || ' ' || e.name || ' to ' || rn.name
         || CASE WHEN e.is_grantable THEN ' with grant option' ELSE '' END
    FROM acl_entries e JOIN role_name rn ON rn.oid = e.grantee
   WHERE NOT e.in_base
     AND NOT EXISTS (SELECT 1 FROM acl_entries b
                      WHERE b.in_base AND b.kind = e.kind AND b.name = e.name AND b.grantee = e.grantee
                        AND b.privilege_type = e.privilege_type AND b.is_grantable = e.is_grantable)
  UNION ALL
  SELECT DISTINCT 'revoke ' || lower(b.privilege_type) || ' on ' || b.kind || ' ' || b.name || ' from ' || rn.name
    FROM acl_entries b JOIN role_name rn ON rn.oid = b.grantee
   WHERE b.in_base
     AND NOT EXISTS (SELECT 1 FROM acl_entries e
                      WHERE NOT e.in_base AND e.kind = b.kind AND e.name = b.name AND e.grantee = b.grantee
                        AND e.privilege_type = b.privilege_type)
  UNION ALL
  SELECT DISTINCT 'default privileges for ' || (SELECT name FROM role_name WHERE oid = da.defaclrole)
         || coalesce(' in ' || (SELECT quote_ident(n.nspname) FROM pg_catalog.pg_namespace n WHERE n.oid = nullif(da.defaclnamespace, 0)), '')
         || ' on ' || CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                                            WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE da.defaclobjtype::text END
         || ' grant ' || lower(e.privilege_type) || ' to ' || rn.name
         || CASE WHEN e.is_grantable THEN ' with grant option' ELSE '' END
    FROM pg_catalog.pg_default_acl da
   CROSS JOIN LATERAL aclexplode(da.defaclacl) e
    JOIN role_name rn ON rn.oid = e.grantee
)
SELECT escaped.line
  FROM (SELECT replace(replace(replace(line, '\', '\\'), E'\n', '\n'), E'\r', '\r') AS line FROM lines) escaped
 ORDER BY escaped.line COLLATE "C";
