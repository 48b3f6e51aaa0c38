-- 20261123090000_add_billing_status_past_due: phase 1 (expand)
SET check_function_bodies = off;

-- alter enum public.billing_status: a value of its own, committed before anything uses it [NON_TRANSACTIONAL]
ALTER TYPE "public"."billing_status" ADD VALUE 'past_due' BEFORE 'canceled';
