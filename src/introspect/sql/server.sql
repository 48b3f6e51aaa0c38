-- The server's version, e.g. 150020 or 180000.
SELECT current_setting('server_version_num')::int AS server_version
