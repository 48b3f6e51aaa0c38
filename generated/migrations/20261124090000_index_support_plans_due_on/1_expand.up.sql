-- 20261124090000_index_support_plans_due_on: phase 1 (expand)
SET check_function_bodies = off;

BEGIN;

-- create index public.support_plans_due_on [INDEX_BUILD, BLOCKS_WRITES]
CREATE INDEX "support_plans_due_on" ON "public"."support_plans" USING btree (due_on) WHERE (status = 'active'::public.support_plan_status);

COMMIT;
