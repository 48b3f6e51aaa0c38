-- 20261121090000_rename_staff_full_name: phase 1 (expand)
SET check_function_bodies = off;

BEGIN;

-- drop constraint public.staffs.staffs_name_not_empty
ALTER TABLE "public"."staffs" DROP CONSTRAINT "staffs_name_not_empty";

-- rename column public.staffs.full_name to name [BREAKS_OLD_CLIENTS]
ALTER TABLE "public"."staffs" RENAME COLUMN "full_name" TO "name";

-- add constraint public.staffs.staffs_name_not_empty [VALIDATION_SCAN]
ALTER TABLE "public"."staffs" ADD CONSTRAINT "staffs_name_not_empty" CHECK ((length(name) > 0));

COMMIT;
