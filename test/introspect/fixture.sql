-- A representative schema for the introspection tests; the role keikaku_it_reader must exist, and the citext
-- extension be available.
CREATE EXTENSION citext;
CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';
GRANT USAGE ON SCHEMA app TO keikaku_it_reader;

CREATE SCHEMA keikaku;
CREATE TABLE keikaku.journal (id int PRIMARY KEY);
CREATE SCHEMA keikaku_archive;
CREATE TABLE keikaku_archive.rows (id int);

CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
ALTER TYPE app.mood ADD VALUE 'meh' BEFORE 'ok';
COMMENT ON TYPE app.mood IS 'how one feels';
CREATE DOMAIN app.positive_int AS integer NOT NULL DEFAULT 1 CONSTRAINT positive_int_check CHECK (VALUE > 0);
ALTER DOMAIN app.positive_int ADD CONSTRAINT positive_int_small CHECK (VALUE < 1000000) NOT VALID;
CREATE DOMAIN app.short_text AS varchar(20) COLLATE "C";
CREATE TYPE app.address AS (street text, city text COLLATE "C", zip varchar(10));

CREATE SEQUENCE app.counter AS integer START 10 INCREMENT 5 MINVALUE 1 MAXVALUE 1000 CACHE 1 CYCLE;
COMMENT ON SEQUENCE app.counter IS 'codes';
GRANT USAGE ON SEQUENCE app.counter TO keikaku_it_reader;

CREATE FUNCTION app.next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'C' || nextval('app.counter')::text $$;
REVOKE EXECUTE ON FUNCTION app.next_code() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.next_code() TO keikaku_it_reader;
COMMENT ON FUNCTION app.next_code() IS 'the next code';
CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
CREATE PROCEDURE app.reset_counter(IN to_value integer DEFAULT 10) LANGUAGE sql AS $$ SELECT setval('app.counter', to_value) $$;

CREATE TABLE app.teams (
  id serial PRIMARY KEY,
  name app.short_text NOT NULL,
  lead_id bigint
);

CREATE TABLE app.users (
  id bigint GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 2),
  email varchar(200) COLLATE "C" NOT NULL,
  mood app.mood NOT NULL DEFAULT 'ok',
  score app.positive_int,
  home app.address,
  code text DEFAULT app.next_code(),
  name text,
  legacy integer,
  name_upper text GENERATED ALWAYS AS (upper(name)) STORED,
  tags text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  team_id integer,
  manager_id bigint,
  CONSTRAINT users_pkey PRIMARY KEY (id),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_name_check CHECK (length(name) > 0)
) WITH (fillfactor = 80);
COMMENT ON TABLE app.users IS 'people';
COMMENT ON COLUMN app.users.email IS 'login';
COMMENT ON CONSTRAINT users_name_check ON app.users IS 'no empty names';
ALTER TABLE app.users ADD CONSTRAINT users_team_fk FOREIGN KEY (team_id) REFERENCES app.teams (id) ON DELETE SET NULL;
ALTER TABLE app.users ADD CONSTRAINT users_manager_fk FOREIGN KEY (manager_id) REFERENCES app.users (id) NOT VALID;
ALTER TABLE app.teams ADD CONSTRAINT teams_lead_fk FOREIGN KEY (lead_id) REFERENCES app.users (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE app.users DROP COLUMN legacy;
GRANT SELECT, INSERT ON app.users TO keikaku_it_reader;
GRANT UPDATE (name) ON app.users TO keikaku_it_reader WITH GRANT OPTION;
GRANT SELECT ON app.users TO PUBLIC;

CREATE INDEX users_created_idx ON app.users (created_at) WHERE name IS NOT NULL;
CREATE INDEX users_lower_email_idx ON app.users (lower(email::text));
CREATE UNIQUE INDEX users_code_idx ON app.users (code) INCLUDE (name);
CREATE INDEX users_tags_idx ON app.users USING gin (tags);
COMMENT ON INDEX app.users_tags_idx IS 'tag search';

CREATE TABLE app.bookings (
  id int PRIMARY KEY,
  during tsrange NOT NULL,
  CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&)
);
CREATE UNLOGGED TABLE app.scratch (k text PRIMARY KEY, v text);

CREATE TABLE app.events (
  id bigint NOT NULL,
  happened date NOT NULL,
  kind text DEFAULT 'misc',
  payload jsonb,
  CONSTRAINT events_pkey PRIMARY KEY (id, happened),
  CONSTRAINT events_kind_check CHECK (kind <> '')
) PARTITION BY RANGE (happened);
CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE app.events_rest PARTITION OF app.events DEFAULT;
ALTER TABLE app.events_rest ALTER COLUMN payload SET DEFAULT '{}';
ALTER TABLE app.events_rest ADD CONSTRAINT events_rest_payload_check CHECK (payload IS NOT NULL);
CREATE INDEX events_payload_idx ON app.events USING gin (payload);
CREATE INDEX events_2024_kind_idx ON app.events_2024 (kind);
CREATE TABLE app.events_late (id bigint NOT NULL, happened date NOT NULL, kind text DEFAULT 'misc', payload jsonb,
  CONSTRAINT events_kind_check CHECK (kind <> ''));
ALTER TABLE app.events ATTACH PARTITION app.events_late FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');

CREATE VIEW app.user_names AS SELECT u.id, u.name, u.mood FROM app.users u WHERE u.name IS NOT NULL;
COMMENT ON VIEW app.user_names IS 'named users';
COMMENT ON COLUMN app.user_names.name IS 'the name';
GRANT SELECT ON app.user_names TO keikaku_it_reader;
ALTER VIEW app.user_names SET (security_barrier = true);
CREATE MATERIALIZED VIEW app.team_sizes AS SELECT team_id, count(*) AS members FROM app.users GROUP BY team_id;
CREATE UNIQUE INDEX team_sizes_team_idx ON app.team_sizes (team_id);

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.created_at := now();
  RETURN NEW;
END
$$;
CREATE TRIGGER users_touch BEFORE UPDATE ON app.users FOR EACH ROW EXECUTE FUNCTION app.touch();
COMMENT ON TRIGGER users_touch ON app.users IS 'keeps created_at fresh';
CREATE FUNCTION app.note_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
CREATE TRIGGER events_note AFTER INSERT ON app.events FOR EACH ROW EXECUTE FUNCTION app.note_event();
ALTER TABLE app.events DISABLE TRIGGER events_note;

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_self ON app.users FOR UPDATE TO postgres, keikaku_it_reader
  USING (name = CURRENT_USER) WITH CHECK (name IS NOT NULL);
CREATE POLICY users_read ON app.users AS RESTRICTIVE FOR SELECT USING (true);
COMMENT ON POLICY users_self ON app.users IS 'own rows';

CREATE TABLE public.notes (
  id serial PRIMARY KEY,
  body text COLLATE "POSIX",
  user_id bigint REFERENCES app.users (id),
  handle citext,
  aliases citext[]
);
