-- The server's version and the session's search_path, which is then emptied for the session, as pg_dump does:
-- format_type, regclass and the pg_get_* printers leave out the schema of every name visible in search_path, and a
-- database or role may set its own. With an empty search_path (pg_catalog is still searched first, implicitly)
-- every user object is printed qualified, whatever the session. The caller restores search_path afterwards.
WITH before AS MATERIALIZED (
  SELECT current_setting('server_version_num')::int AS server_version,
         current_setting('search_path') AS search_path
)
SELECT before.server_version,
       before.search_path,
       set_config('search_path', '', false) AS search_path_now
FROM before
