-- 20261120090000_initial_schema: phase 1 (expand)
SET check_function_bodies = off;

BEGIN;

-- create extension pg_trgm
CREATE EXTENSION IF NOT EXISTS "pg_trgm" WITH SCHEMA "public";

-- create type public.billing_status
CREATE TYPE "public"."billing_status" AS ENUM ('trialing', 'active', 'canceled');

-- create type public.staff_role
CREATE TYPE "public"."staff_role" AS ENUM ('owner', 'manager', 'employee');

-- create type public.support_plan_status
CREATE TYPE "public"."support_plan_status" AS ENUM ('draft', 'active', 'completed', 'cancelled');

-- create function public.touch_updated_at()
CREATE OR REPLACE FUNCTION public.touch_updated_at()
 RETURNS trigger
 LANGUAGE plpgsql
AS $function$BEGIN NEW.updated_at := now(); RETURN NEW; END$function$;
GRANT EXECUTE ON FUNCTION "public"."touch_updated_at"() TO PUBLIC;

-- create table public.audit_logs
CREATE TABLE "public"."audit_logs" (
  "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "public"."audit_logs_id_seq" START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE),
  "office_id" uuid,
  "actor_staff_id" uuid,
  "action" text NOT NULL,
  "detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
  "at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "audit_logs_pkey" PRIMARY KEY (id)
);

-- create table public.billing_accounts
CREATE TABLE "public"."billing_accounts" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "office_id" uuid NOT NULL,
  "status" public.billing_status DEFAULT 'trialing'::public.billing_status NOT NULL,
  "customer_ref" text NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "billing_accounts_office_id_key" UNIQUE (office_id),
  CONSTRAINT "billing_accounts_pkey" PRIMARY KEY (id)
);

-- create table public.calendar_accounts
CREATE TABLE "public"."calendar_accounts" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "staff_id" uuid NOT NULL,
  "provider" text NOT NULL,
  "settings" jsonb DEFAULT '{"sync": true}'::jsonb NOT NULL,
  "encrypted_key" bytea NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "calendar_accounts_pkey" PRIMARY KEY (id),
  CONSTRAINT "calendar_accounts_staff_id_key" UNIQUE (staff_id)
);

-- create table public.offices
CREATE TABLE "public"."offices" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "name" text NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  "updated_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "offices_pkey" PRIMARY KEY (id)
);
COMMENT ON TABLE "public"."offices" IS 'Welfare offices (tenants)';

-- create table public.password_reset_audit_logs
CREATE TABLE "public"."password_reset_audit_logs" (
  "id" bigint NOT NULL GENERATED ALWAYS AS IDENTITY (SEQUENCE NAME "public"."password_reset_audit_logs_id_seq" START WITH 1 INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 CACHE 1 NO CYCLE),
  "token_id" uuid,
  "event" text NOT NULL,
  "ip" inet,
  "at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "password_reset_audit_logs_pkey" PRIMARY KEY (id)
);

-- create table public.password_reset_tokens
CREATE TABLE "public"."password_reset_tokens" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "staff_id" uuid NOT NULL,
  "token_hash" text NOT NULL,
  "expires_at" timestamp with time zone NOT NULL,
  "used_at" timestamp with time zone,
  CONSTRAINT "password_reset_tokens_pkey" PRIMARY KEY (id),
  CONSTRAINT "password_reset_tokens_token_hash_key" UNIQUE (token_hash)
);

-- create table public.plan_cycles
CREATE TABLE "public"."plan_cycles" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "plan_id" uuid NOT NULL,
  "cycle_number" integer NOT NULL,
  "starts_on" date NOT NULL,
  "ends_on" date NOT NULL,
  CONSTRAINT "plan_cycles_dates" CHECK ((ends_on >= starts_on)),
  CONSTRAINT "plan_cycles_number_positive" CHECK ((cycle_number > 0)),
  CONSTRAINT "plan_cycles_pkey" PRIMARY KEY (id),
  CONSTRAINT "plan_cycles_plan_id_cycle_number_key" UNIQUE (plan_id, cycle_number)
);

-- create table public.push_subscriptions
CREATE TABLE "public"."push_subscriptions" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "staff_id" uuid NOT NULL,
  "endpoint" text NOT NULL,
  "legacy_endpoint" text,
  "keys" jsonb NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "push_subscriptions_pkey" PRIMARY KEY (id)
);

-- create table public.staffs
CREATE TABLE "public"."staffs" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "office_id" uuid NOT NULL,
  "full_name" text NOT NULL,
  "email" text NOT NULL,
  "role" public.staff_role DEFAULT 'employee'::public.staff_role NOT NULL,
  "settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "staffs_email_key" UNIQUE (email),
  CONSTRAINT "staffs_name_not_empty" CHECK ((length(full_name) > 0)),
  CONSTRAINT "staffs_pkey" PRIMARY KEY (id)
);

-- create table public.support_plans
CREATE TABLE "public"."support_plans" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "recipient_id" uuid NOT NULL,
  "owner_staff_id" uuid,
  "status" public.support_plan_status DEFAULT 'draft'::public.support_plan_status NOT NULL,
  "due_on" date,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "support_plans_pkey" PRIMARY KEY (id)
);

-- create table public.webhook_events
CREATE TABLE "public"."webhook_events" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "provider" text NOT NULL,
  "event_id" text NOT NULL,
  "payload" jsonb NOT NULL,
  "processed" boolean DEFAULT false NOT NULL,
  "received_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "webhook_events_pkey" PRIMARY KEY (id)
);

-- create table public.welfare_recipients
CREATE TABLE "public"."welfare_recipients" (
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "office_id" uuid NOT NULL,
  "family_name" text NOT NULL,
  "given_name" text NOT NULL,
  "birth_date" date,
  "created_at" timestamp with time zone DEFAULT now() NOT NULL,
  CONSTRAINT "welfare_recipients_pkey" PRIMARY KEY (id)
);

-- add constraint public.audit_logs.audit_logs_actor_staff_id_fkey
ALTER TABLE "public"."audit_logs" ADD CONSTRAINT "audit_logs_actor_staff_id_fkey" FOREIGN KEY (actor_staff_id) REFERENCES public.staffs(id) ON DELETE SET NULL;

-- add constraint public.audit_logs.audit_logs_office_id_fkey
ALTER TABLE "public"."audit_logs" ADD CONSTRAINT "audit_logs_office_id_fkey" FOREIGN KEY (office_id) REFERENCES public.offices(id) ON DELETE SET NULL;

-- add constraint public.billing_accounts.billing_accounts_office_id_fkey
ALTER TABLE "public"."billing_accounts" ADD CONSTRAINT "billing_accounts_office_id_fkey" FOREIGN KEY (office_id) REFERENCES public.offices(id) ON DELETE CASCADE;

-- add constraint public.calendar_accounts.calendar_accounts_staff_id_fkey
ALTER TABLE "public"."calendar_accounts" ADD CONSTRAINT "calendar_accounts_staff_id_fkey" FOREIGN KEY (staff_id) REFERENCES public.staffs(id) ON DELETE CASCADE;

-- add constraint public.password_reset_audit_logs.password_reset_audit_logs_token_id_fkey
ALTER TABLE "public"."password_reset_audit_logs" ADD CONSTRAINT "password_reset_audit_logs_token_id_fkey" FOREIGN KEY (token_id) REFERENCES public.password_reset_tokens(id) ON DELETE SET NULL;

-- add constraint public.password_reset_tokens.password_reset_tokens_staff_id_fkey
ALTER TABLE "public"."password_reset_tokens" ADD CONSTRAINT "password_reset_tokens_staff_id_fkey" FOREIGN KEY (staff_id) REFERENCES public.staffs(id) ON DELETE CASCADE;

-- add constraint public.plan_cycles.plan_cycles_plan_id_fkey
ALTER TABLE "public"."plan_cycles" ADD CONSTRAINT "plan_cycles_plan_id_fkey" FOREIGN KEY (plan_id) REFERENCES public.support_plans(id) ON DELETE CASCADE;

-- add constraint public.push_subscriptions.push_subscriptions_staff_id_fkey
ALTER TABLE "public"."push_subscriptions" ADD CONSTRAINT "push_subscriptions_staff_id_fkey" FOREIGN KEY (staff_id) REFERENCES public.staffs(id) ON DELETE CASCADE;

-- add constraint public.staffs.staffs_office_id_fkey
ALTER TABLE "public"."staffs" ADD CONSTRAINT "staffs_office_id_fkey" FOREIGN KEY (office_id) REFERENCES public.offices(id) ON DELETE CASCADE;

-- add constraint public.support_plans.support_plans_owner_staff_id_fkey
ALTER TABLE "public"."support_plans" ADD CONSTRAINT "support_plans_owner_staff_id_fkey" FOREIGN KEY (owner_staff_id) REFERENCES public.staffs(id) ON DELETE SET NULL;

-- add constraint public.support_plans.support_plans_recipient_id_fkey
ALTER TABLE "public"."support_plans" ADD CONSTRAINT "support_plans_recipient_id_fkey" FOREIGN KEY (recipient_id) REFERENCES public.welfare_recipients(id) ON DELETE CASCADE;

-- add constraint public.welfare_recipients.welfare_recipients_office_id_fkey
ALTER TABLE "public"."welfare_recipients" ADD CONSTRAINT "welfare_recipients_office_id_fkey" FOREIGN KEY (office_id) REFERENCES public.offices(id) ON DELETE CASCADE;

-- create index public.audit_logs_detail
CREATE INDEX "audit_logs_detail" ON "public"."audit_logs" USING gin (detail);

-- create index public.audit_logs_office_at
CREATE INDEX "audit_logs_office_at" ON "public"."audit_logs" USING btree (office_id, at);

-- create index public.offices_name_trgm
CREATE INDEX "offices_name_trgm" ON "public"."offices" USING gin (name public.gin_trgm_ops);

-- create index public.staffs_office_id
CREATE INDEX "staffs_office_id" ON "public"."staffs" USING btree (office_id);

-- create index public.staffs_settings
CREATE INDEX "staffs_settings" ON "public"."staffs" USING gin (settings);

-- create index public.webhook_events_provider_event
CREATE UNIQUE INDEX "webhook_events_provider_event" ON "public"."webhook_events" USING btree (provider, event_id);

-- create index public.welfare_recipients_family_name_trgm
CREATE INDEX "welfare_recipients_family_name_trgm" ON "public"."welfare_recipients" USING gin (family_name public.gin_trgm_ops);

-- create index public.welfare_recipients_office_id
CREATE INDEX "welfare_recipients_office_id" ON "public"."welfare_recipients" USING btree (office_id);

-- create view public.active_plans
CREATE VIEW "public"."active_plans" AS
SELECT p.id,
    p.due_on,
    r.family_name,
    r.given_name,
    r.office_id
   FROM (public.support_plans p
     JOIN public.welfare_recipients r ON ((r.id = p.recipient_id)))
  WHERE (p.status = 'active'::public.support_plan_status);

-- create trigger offices_touch_updated_at on public.offices
CREATE TRIGGER offices_touch_updated_at BEFORE UPDATE ON public.offices FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

COMMIT;
