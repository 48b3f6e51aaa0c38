-- 20261124090000_index_support_plans_due_on: phase 1 (expand)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: create index public.support_plans_due_on
DROP INDEX "public"."support_plans_due_on";

COMMIT;
