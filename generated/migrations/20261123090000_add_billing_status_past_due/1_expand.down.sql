-- 20261123090000_add_billing_status_past_due: phase 1 (expand)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: alter enum public.billing_status
ALTER TYPE "public"."billing_status" RENAME TO "billing_status__keikaku_old";
CREATE TYPE "public"."billing_status" AS ENUM ('trialing', 'active', 'canceled');
ALTER TABLE "public"."billing_accounts" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "public"."billing_accounts" ALTER COLUMN "status" TYPE public.billing_status USING "status"::text::public.billing_status;
ALTER TABLE "public"."billing_accounts" ALTER COLUMN "status" SET DEFAULT 'trialing'::public.billing_status;
DROP TYPE "public"."billing_status__keikaku_old";

COMMIT;
