-- Gives the session back the search_path it had before introspection.
SELECT set_config('search_path', $1, false) AS search_path
