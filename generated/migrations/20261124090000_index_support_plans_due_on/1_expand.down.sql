-- 20261124090000_index_support_plans_due_on: phase 1 (expand)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

-- undo: create index public.support_plans_due_on: build CONCURRENTLY (reads and writes go on)
DROP INDEX CONCURRENTLY "public"."support_plans_due_on";
