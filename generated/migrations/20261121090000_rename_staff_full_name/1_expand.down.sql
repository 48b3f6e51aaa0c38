-- 20261121090000_rename_staff_full_name: phase 1 (expand)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: rename column public.staffs.full_name to name
ALTER TABLE "public"."staffs" RENAME COLUMN "name" TO "full_name";

COMMIT;
