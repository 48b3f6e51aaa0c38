-- 20261122090000_add_office_timezone: phase 1 (expand)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: add column public.offices.timezone
ALTER TABLE "public"."offices" DROP COLUMN "timezone";

COMMIT;
