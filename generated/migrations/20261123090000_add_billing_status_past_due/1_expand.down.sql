-- 20261123090000_add_billing_status_past_due: phase 1 (expand)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: alter enum public.billing_status: a value of its own, committed before anything uses it
DO $kk$
DECLARE n bigint;
BEGIN
  SELECT count(*) INTO n FROM "public"."billing_accounts" WHERE "status"::text IN ('past_due');
  IF n > 0 THEN RAISE EXCEPTION '%', format('keikaku: %s row(s) of public.billing_accounts.status still hold ''past_due'', which public.billing_status no longer has: update them first', n); END IF;
END
$kk$;
ALTER TYPE "public"."billing_status" RENAME TO "billing_status__keikaku_old";
CREATE TYPE "public"."billing_status" AS ENUM ('trialing', 'active', 'canceled');
ALTER TABLE "public"."billing_accounts" ALTER COLUMN "status" DROP DEFAULT;
ALTER TABLE "public"."billing_accounts" ALTER COLUMN "status" TYPE public.billing_status USING "status"::text::public.billing_status;
ALTER TABLE "public"."billing_accounts" ALTER COLUMN "status" SET DEFAULT 'trialing'::public.billing_status;
DROP TYPE "public"."billing_status__keikaku_old";

COMMIT;
