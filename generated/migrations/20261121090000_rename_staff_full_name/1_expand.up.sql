-- 20261121090000_rename_staff_full_name: phase 1 (expand)
SET check_function_bodies = off;

BEGIN;

-- rename column public.staffs.full_name to name [BREAKS_OLD_CLIENTS]
-- keikaku:allow BREAKS_OLD_CLIENTS (allowed when this migration was generated)
ALTER TABLE "public"."staffs" RENAME COLUMN "full_name" TO "name";

COMMIT;
