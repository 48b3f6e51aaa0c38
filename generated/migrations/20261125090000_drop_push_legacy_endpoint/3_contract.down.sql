-- 20261125090000_drop_push_legacy_endpoint: phase 3 (contract)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: drop column public.push_subscriptions.legacy_endpoint: archive the values in keikaku_archive."20261125090000__push_subscriptions.legacy_endpoint", then drop
ALTER TABLE "public"."push_subscriptions" ADD COLUMN "legacy_endpoint" text;
UPDATE "public"."push_subscriptions" AS t SET "legacy_endpoint" = a."legacy_endpoint" FROM "keikaku_archive"."20261125090000__push_subscriptions.legacy_endpoint" AS a WHERE t."id" = a."id";
DROP TABLE "keikaku_archive"."20261125090000__push_subscriptions.legacy_endpoint";
DELETE FROM "keikaku_archive"."catalog" WHERE name = '20261125090000__push_subscriptions.legacy_endpoint';

COMMIT;
