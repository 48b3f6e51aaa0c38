-- 20261124090000_index_support_plans_due_on: phase 1 (expand)
SET check_function_bodies = off;

-- create index public.support_plans_due_on: build CONCURRENTLY (reads and writes go on) [INDEX_BUILD, NON_TRANSACTIONAL]
CREATE INDEX CONCURRENTLY "support_plans_due_on" ON "public"."support_plans" USING btree (due_on) WHERE (status = 'active'::public.support_plan_status);
