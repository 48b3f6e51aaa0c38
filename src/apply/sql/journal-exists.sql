-- Whether keikaku.journal exists, without creating it and without failing when schema keikaku is absent.
SELECT to_regclass('keikaku.journal') IS NOT NULL AS exists
