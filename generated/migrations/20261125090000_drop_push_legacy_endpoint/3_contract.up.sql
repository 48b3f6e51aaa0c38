-- 20261125090000_drop_push_legacy_endpoint: phase 3 (contract)
SET check_function_bodies = off;

BEGIN;

-- drop column public.push_subscriptions.legacy_endpoint: archive the values in keikaku_archive."20261125090000__push_subscriptions.legacy_endpoint", then drop [DELETES_DATA, ACCESS_EXCLUSIVE_LOCK]
CREATE SCHEMA IF NOT EXISTS "keikaku_archive";
CREATE TABLE IF NOT EXISTS "keikaku_archive"."catalog" (name text PRIMARY KEY, source text NOT NULL, migration text NOT NULL, archived_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE "keikaku_archive"."20261125090000__push_subscriptions.legacy_endpoint" AS SELECT "id", "legacy_endpoint" FROM "public"."push_subscriptions";
INSERT INTO "keikaku_archive"."catalog" (name, source, migration) VALUES ('20261125090000__push_subscriptions.legacy_endpoint', 'public.push_subscriptions.legacy_endpoint', '20261125090000_drop_push_legacy_endpoint');
ALTER TABLE "public"."push_subscriptions" DROP COLUMN "legacy_endpoint";

COMMIT;
