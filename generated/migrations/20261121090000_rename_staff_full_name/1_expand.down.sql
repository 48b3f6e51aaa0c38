-- 20261121090000_rename_staff_full_name: phase 1 (expand)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: add constraint public.staffs.staffs_name_not_empty
ALTER TABLE "public"."staffs" DROP CONSTRAINT "staffs_name_not_empty";

-- undo: rename column public.staffs.full_name to name
ALTER TABLE "public"."staffs" RENAME COLUMN "name" TO "full_name";

-- undo: drop constraint public.staffs.staffs_name_not_empty
ALTER TABLE "public"."staffs" ADD CONSTRAINT "staffs_name_not_empty" CHECK ((length(full_name) > 0));

COMMIT;
