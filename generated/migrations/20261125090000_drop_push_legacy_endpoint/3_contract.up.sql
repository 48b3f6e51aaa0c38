-- 20261125090000_drop_push_legacy_endpoint: phase 3 (contract)
SET check_function_bodies = off;

BEGIN;

-- drop column public.push_subscriptions.legacy_endpoint [DELETES_DATA]
ALTER TABLE "public"."push_subscriptions" DROP COLUMN "legacy_endpoint";

COMMIT;
