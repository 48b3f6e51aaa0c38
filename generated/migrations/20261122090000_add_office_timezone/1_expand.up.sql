-- 20261122090000_add_office_timezone: phase 1 (expand)
SET check_function_bodies = off;

BEGIN;

-- add column public.offices.timezone
ALTER TABLE "public"."offices" ADD COLUMN "timezone" text DEFAULT 'Asia/Tokyo'::text NOT NULL;

COMMIT;
