-- 20261120090000_initial_schema: phase 1 (expand)
-- downgrade: undoes this phase, newest step first
SET check_function_bodies = off;

BEGIN;

-- undo: create trigger offices_touch_updated_at on public.offices
DROP TRIGGER "offices_touch_updated_at" ON "public"."offices";

-- undo: create view public.active_plans
DROP VIEW "public"."active_plans";

-- undo: create index public.welfare_recipients_office_id
DROP INDEX "public"."welfare_recipients_office_id";

-- undo: create index public.welfare_recipients_family_name_trgm
DROP INDEX "public"."welfare_recipients_family_name_trgm";

-- undo: create index public.webhook_events_provider_event
DROP INDEX "public"."webhook_events_provider_event";

-- undo: create index public.staffs_settings
DROP INDEX "public"."staffs_settings";

-- undo: create index public.staffs_office_id
DROP INDEX "public"."staffs_office_id";

-- undo: create index public.offices_name_trgm
DROP INDEX "public"."offices_name_trgm";

-- undo: create index public.audit_logs_office_at
DROP INDEX "public"."audit_logs_office_at";

-- undo: create index public.audit_logs_detail
DROP INDEX "public"."audit_logs_detail";

-- undo: add constraint public.welfare_recipients.welfare_recipients_office_id_fkey
ALTER TABLE "public"."welfare_recipients" DROP CONSTRAINT "welfare_recipients_office_id_fkey";

-- undo: add constraint public.support_plans.support_plans_recipient_id_fkey
ALTER TABLE "public"."support_plans" DROP CONSTRAINT "support_plans_recipient_id_fkey";

-- undo: add constraint public.support_plans.support_plans_owner_staff_id_fkey
ALTER TABLE "public"."support_plans" DROP CONSTRAINT "support_plans_owner_staff_id_fkey";

-- undo: add constraint public.staffs.staffs_office_id_fkey
ALTER TABLE "public"."staffs" DROP CONSTRAINT "staffs_office_id_fkey";

-- undo: add constraint public.push_subscriptions.push_subscriptions_staff_id_fkey
ALTER TABLE "public"."push_subscriptions" DROP CONSTRAINT "push_subscriptions_staff_id_fkey";

-- undo: add constraint public.plan_cycles.plan_cycles_plan_id_fkey
ALTER TABLE "public"."plan_cycles" DROP CONSTRAINT "plan_cycles_plan_id_fkey";

-- undo: add constraint public.password_reset_tokens.password_reset_tokens_staff_id_fkey
ALTER TABLE "public"."password_reset_tokens" DROP CONSTRAINT "password_reset_tokens_staff_id_fkey";

-- undo: add constraint public.password_reset_audit_logs.password_reset_audit_logs_token_id_fkey
ALTER TABLE "public"."password_reset_audit_logs" DROP CONSTRAINT "password_reset_audit_logs_token_id_fkey";

-- undo: add constraint public.calendar_accounts.calendar_accounts_staff_id_fkey
ALTER TABLE "public"."calendar_accounts" DROP CONSTRAINT "calendar_accounts_staff_id_fkey";

-- undo: add constraint public.billing_accounts.billing_accounts_office_id_fkey
ALTER TABLE "public"."billing_accounts" DROP CONSTRAINT "billing_accounts_office_id_fkey";

-- undo: add constraint public.audit_logs.audit_logs_office_id_fkey
ALTER TABLE "public"."audit_logs" DROP CONSTRAINT "audit_logs_office_id_fkey";

-- undo: add constraint public.audit_logs.audit_logs_actor_staff_id_fkey
ALTER TABLE "public"."audit_logs" DROP CONSTRAINT "audit_logs_actor_staff_id_fkey";

-- undo: create table public.welfare_recipients
DROP TABLE "public"."welfare_recipients";

-- undo: create table public.webhook_events
DROP TABLE "public"."webhook_events";

-- undo: create table public.support_plans
DROP TABLE "public"."support_plans";

-- undo: create table public.staffs
DROP TABLE "public"."staffs";

-- undo: create table public.push_subscriptions
DROP TABLE "public"."push_subscriptions";

-- undo: create table public.plan_cycles
DROP TABLE "public"."plan_cycles";

-- undo: create table public.password_reset_tokens
DROP TABLE "public"."password_reset_tokens";

-- undo: create table public.password_reset_audit_logs
DROP TABLE "public"."password_reset_audit_logs";

-- undo: create table public.offices
DROP TABLE "public"."offices";

-- undo: create table public.calendar_accounts
DROP TABLE "public"."calendar_accounts";

-- undo: create table public.billing_accounts
DROP TABLE "public"."billing_accounts";

-- undo: create table public.audit_logs
DROP TABLE "public"."audit_logs";

-- undo: create function public.touch_updated_at()
DROP FUNCTION "public"."touch_updated_at"();

-- undo: create type public.support_plan_status
DROP TYPE "public"."support_plan_status";

-- undo: create type public.staff_role
DROP TYPE "public"."staff_role";

-- undo: create type public.billing_status
DROP TYPE "public"."billing_status";

-- undo: create extension pg_trgm
DROP EXTENSION "pg_trgm";

COMMIT;
