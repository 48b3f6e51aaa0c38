-- 20261125090000_drop_push_legacy_endpoint: phase 3 (contract)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: drop column public.push_subscriptions.legacy_endpoint
ALTER TABLE "public"."push_subscriptions" ADD COLUMN "legacy_endpoint" text;

COMMIT;
