/** Each rule on a statement it must flag and on the safe form (or an exempt case) it must not. No database. */
import { describe, expect, it } from 'vitest';
import { lintSql, RULES } from '../../src/lint/index.js';

interface Case {
  readonly rule: string;
  /** Flagged by the rule (once, at least). */
  readonly bad: string;
  /** Not flagged by the rule. */
  readonly good: readonly string[];
  readonly options?: Parameters<typeof lintSql>[2];
}

const CASES: readonly Case[] = [
  {
    rule: 'create-index-concurrently',
    bad: 'CREATE INDEX users_email ON users (email);',
    good: ['CREATE INDEX CONCURRENTLY users_email ON users (email);', 'CREATE TABLE users (email text);\nCREATE INDEX users_email ON users (email);'],
  },
  {
    rule: 'drop-index-concurrently',
    bad: 'DROP INDEX users_email;',
    good: ['DROP INDEX CONCURRENTLY users_email;', 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);\nDROP INDEX t_a;'],
  },
  {
    rule: 'reindex-concurrently',
    bad: 'REINDEX INDEX users_email;',
    good: ['REINDEX INDEX CONCURRENTLY users_email;', 'REINDEX (CONCURRENTLY) TABLE users;'],
  },
  {
    rule: 'concurrently-in-transaction',
    bad: 'BEGIN;\nCREATE INDEX CONCURRENTLY users_email ON users (email);\nCOMMIT;',
    good: ['BEGIN;\nSELECT 1;\nCOMMIT;\nCREATE INDEX CONCURRENTLY users_email ON users (email);'],
  },
  {
    rule: 'add-column-required',
    bad: 'ALTER TABLE users ADD COLUMN tz text NOT NULL;',
    good: [
      "ALTER TABLE users ADD COLUMN tz text NOT NULL DEFAULT 'UTC';",
      'ALTER TABLE users ADD COLUMN tz text;',
      'CREATE TABLE users (id int);\nALTER TABLE users ADD COLUMN tz text NOT NULL;',
    ],
  },
  {
    rule: 'add-column-volatile-default',
    bad: 'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
    good: [
      'ALTER TABLE users ADD COLUMN at timestamptz DEFAULT now();',
      "ALTER TABLE users ADD COLUMN n int DEFAULT 0, ADD COLUMN s text DEFAULT 'x' || now()::text;",
      'ALTER TABLE users ADD COLUMN token uuid;\nALTER TABLE users ALTER COLUMN token SET DEFAULT gen_random_uuid();',
      "CREATE FUNCTION code() RETURNS text LANGUAGE sql STABLE AS $$ SELECT 'x' $$;\nALTER TABLE users ADD COLUMN c text DEFAULT code();",
    ],
  },
  {
    rule: 'add-column-constrained-domain',
    bad: 'CREATE DOMAIN positive AS int CHECK (VALUE > 0);\nALTER TABLE users ADD COLUMN score positive;',
    good: ['CREATE DOMAIN plain AS int;\nALTER TABLE users ADD COLUMN score plain;', 'ALTER TABLE users ADD COLUMN score int;'],
  },
  {
    rule: 'add-column-generated',
    bad: 'ALTER TABLE users ADD COLUMN twice int GENERATED ALWAYS AS (id * 2) STORED;',
    good: ['ALTER TABLE users ADD COLUMN twice int;', 'CREATE TABLE u (id int);\nALTER TABLE u ADD COLUMN k bigint GENERATED ALWAYS AS IDENTITY;'],
  },
  {
    rule: 'alter-column-type',
    bad: 'ALTER TABLE users ALTER COLUMN id TYPE bigint;',
    good: [
      'ALTER TABLE users ALTER COLUMN name TYPE text;',
      'CREATE TABLE u (name varchar(20));\nALTER TABLE u ALTER COLUMN name TYPE varchar(40);',
    ],
  },
  {
    rule: 'narrowing-column-type',
    bad: 'ALTER TABLE users ALTER COLUMN name TYPE varchar(10);',
    good: ['ALTER TABLE users ALTER COLUMN name TYPE varchar(80);'],
    options: { context: 'CREATE TABLE users (id int, name varchar(40));' },
  },
  {
    rule: 'set-not-null',
    bad: 'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
    good: [
      [
        'ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;',
        'ALTER TABLE users VALIDATE CONSTRAINT email_nn;',
        'ALTER TABLE users ALTER COLUMN email SET NOT NULL;',
      ].join('\n'),
    ],
  },
  {
    rule: 'add-foreign-key-not-valid',
    bad: 'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id);',
    good: [
      'ALTER TABLE orders ADD CONSTRAINT orders_user FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
      'ALTER TABLE orders ADD COLUMN user_id int REFERENCES users (id);',
    ],
  },
  {
    rule: 'add-check-not-valid',
    bad: 'ALTER TABLE orders ADD COLUMN total int CHECK (total > 0);',
    good: ['ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;'],
  },
  {
    rule: 'validate-same-transaction',
    bad: 'BEGIN;\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT positive;\nCOMMIT;',
    good: ['ALTER TABLE orders ADD CONSTRAINT positive CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT positive;'],
  },
  {
    rule: 'add-unique-using-index',
    bad: 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);',
    good: ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;'],
  },
  {
    rule: 'add-exclusion-constraint',
    bad: 'ALTER TABLE rooms ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);',
    good: ['CREATE TABLE rooms (during tsrange);\nALTER TABLE rooms ADD CONSTRAINT no_overlap EXCLUDE USING gist (during WITH &&);'],
  },
  {
    rule: 'domain-constraint-not-valid',
    bad: 'ALTER DOMAIN positive ADD CONSTRAINT gt0 CHECK (VALUE > 0);',
    good: ['ALTER DOMAIN positive ADD CONSTRAINT gt0 CHECK (VALUE > 0) NOT VALID;'],
  },
  {
    rule: 'rename-column',
    bad: 'ALTER TABLE users RENAME COLUMN full_name TO name;',
    good: ['CREATE TABLE users (full_name text);\nALTER TABLE users RENAME COLUMN full_name TO name;'],
  },
  {
    rule: 'rename-table',
    bad: 'ALTER TABLE users RENAME TO accounts;',
    good: ['CREATE TABLE users (id int);\nALTER TABLE users RENAME TO accounts;'],
  },
  {
    rule: 'drop-column-archive',
    bad: 'ALTER TABLE users DROP COLUMN legacy;',
    good: ['CREATE TABLE keikaku_archive.users_legacy AS SELECT id, legacy FROM users;\nALTER TABLE users DROP COLUMN legacy;'],
  },
  {
    rule: 'drop-table-archive',
    bad: 'DROP TABLE sessions;',
    good: [
      'INSERT INTO keikaku_archive.sessions SELECT * FROM public.sessions;\nDROP TABLE sessions;',
      'CREATE TABLE scratch (a int);\nDROP TABLE scratch;',
    ],
  },
  {
    rule: 'detach-partition-concurrently',
    bad: 'ALTER TABLE events DETACH PARTITION events_2020;',
    good: ['ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;'],
  },
  {
    rule: 'table-rewrite-option',
    bad: 'ALTER TABLE events SET UNLOGGED;',
    good: ['ALTER TABLE events SET (fillfactor = 70);', 'CREATE TABLE e (a int);\nALTER TABLE e SET LOGGED;'],
  },
  {
    rule: 'enum-rename-value',
    bad: "ALTER TYPE status RENAME VALUE 'canceled' TO 'cancelled';",
    good: ["ALTER TYPE status ADD VALUE 'cancelled';"],
  },
  { rule: 'drop-database', bad: 'DROP SCHEMA billing CASCADE;', good: ['DROP SCHEMA billing;', 'DROP SCHEMA keikaku_archive CASCADE;'] },
  { rule: 'truncate', bad: 'TRUNCATE sessions;', good: ['CREATE TABLE s (a int);\nTRUNCATE s;'] },
  { rule: 'delete-without-where', bad: 'DELETE FROM sessions;', good: ["DELETE FROM sessions WHERE expires_at < now() - interval '30 days';"] },
  { rule: 'update-without-where', bad: "UPDATE users SET tz = 'UTC';", good: ["UPDATE users SET tz = 'UTC' WHERE id > 0 AND id <= 1000;"] },
  {
    rule: 'enum-value-same-transaction',
    bad: "BEGIN;\nALTER TYPE status ADD VALUE 'past_due';\nUPDATE accounts SET status = 'past_due' WHERE id = 1;\nCOMMIT;",
    good: ["ALTER TYPE status ADD VALUE 'past_due';\nUPDATE accounts SET status = 'past_due' WHERE id = 1;"],
  },
  {
    rule: 'enum-add-value-transaction',
    bad: "BEGIN;\nALTER TYPE status ADD VALUE 'past_due';\nCOMMIT;",
    good: ["ALTER TYPE status ADD VALUE 'past_due';"],
    options: { postgresVersion: 11 },
  },
  {
    rule: 'enum-rebuild',
    bad: "ALTER TYPE status RENAME TO status_old;\nCREATE TYPE status AS ENUM ('a', 'b');",
    good: ["CREATE TYPE status2 AS ENUM ('a', 'b');"],
  },
  {
    rule: 'require-lock-timeout',
    bad: 'ALTER TABLE users ADD COLUMN tz text;',
    good: ["SET lock_timeout = '5s';\nALTER TABLE users ADD COLUMN tz text;", 'CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;'],
  },
  { rule: 'lock-table', bad: 'LOCK TABLE users;', good: ['LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE;'] },
  { rule: 'vacuum-full', bad: 'VACUUM FULL users;', good: ['VACUUM (ANALYZE) users;'] },
  { rule: 'cluster', bad: 'CLUSTER users USING users_pkey;', good: ['CREATE TABLE t (a int PRIMARY KEY);\nCLUSTER t USING t_pkey;'] },
  { rule: 'refresh-matview-concurrently', bad: 'REFRESH MATERIALIZED VIEW totals;', good: ['REFRESH MATERIALIZED VIEW CONCURRENTLY totals;'] },
  { rule: 'prefer-text', bad: 'CREATE TABLE t (name varchar(100));', good: ['CREATE TABLE t (name text CHECK (length(name) <= 100));'] },
  { rule: 'prefer-timestamptz', bad: 'CREATE TABLE t (at timestamp);', good: ['CREATE TABLE t (at timestamptz);'] },
  {
    rule: 'prefer-bigint-identity',
    bad: 'CREATE TABLE t (id serial PRIMARY KEY);',
    good: ['CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY);', 'CREATE TABLE t (id bigserial PRIMARY KEY);'],
  },
];

const ruleIds = async (sql: string, options?: Parameters<typeof lintSql>[2]) =>
  (await lintSql(sql, 'm.sql', options)).map((f) => f.rule);

describe('lint rules', () => {
  it('every rule has a case, and there are at least 20 rules', () => {
    expect(RULES.length).toBeGreaterThanOrEqual(20);
    expect(CASES.map((c) => c.rule).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  it('rule ids are unique, kebab-case, and every rule states a rewrite', () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(r.rewrite.length).toBeGreaterThan(10);
    }
  });

  describe.each(CASES)('$rule', (c) => {
    it('flags the hazardous form', async () => {
      expect(await ruleIds(c.bad, c.options)).toContain(c.rule);
    });
    it.each(c.good.map((sql) => [sql]))('passes the safe form %#', async (sql) => {
      expect(await ruleIds(sql, c.options)).not.toContain(c.rule);
    });
  });
});
