/**
 * Deterministic generator of the benchmark schemas: a model of N tables (seeded PRNG) and a copy of it with about
 * 1% of the tables changed, each rendered to SQL for psql. Same (version, seed, N) → byte-identical SQL.
 *
 * Per table (~10 columns): bigint identity PK, uuid DEFAULT gen_random_uuid(), text, varchar(n), numeric(p,s),
 * timestamptz DEFAULT now(), jsonb, boolean, integer, a FK column to an earlier table, an enum column for some;
 * 1–3 indexes (a unique btree, plus a btree on the FK, a GIN on the jsonb, a partial one, for some), one CHECK.
 * Per ~20 tables: a view, a plpgsql trigger function and its trigger. A few enums, two sequences, comments on some
 * tables and columns. Tables spread over the schemas public, billing and audit.
 *
 * The SQL contains psql `\echo` lines (progress markers, `kkbench-progress DONE TOTAL`), so it is meant for psql.
 */

export const GENERATOR_VERSION = 1;
export const SCHEMAS = ['public', 'billing', 'audit'];

/** mulberry32: small, fast, good enough for choosing shapes. */
export const prng = (seed) => {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
  };
};

const WORDS = [
  'account', 'order', 'invoice', 'payment', 'customer', 'product', 'shipment', 'ledger', 'event', 'session',
  'device', 'report', 'tenant', 'project', 'task', 'comment', 'address', 'contract', 'refund', 'coupon',
];

const ENUMS = [
  { schema: 'public', name: 'status', labels: ['new', 'active', 'suspended', 'closed'] },
  { schema: 'public', name: 'priority', labels: ['low', 'normal', 'high', 'urgent'] },
  { schema: 'billing', name: 'currency', labels: ['usd', 'eur', 'jpy', 'gbp'] },
  { schema: 'billing', name: 'invoice_state', labels: ['draft', 'open', 'paid', 'void'] },
  { schema: 'audit', name: 'severity', labels: ['debug', 'info', 'warn', 'error'] },
];

const SEQUENCES = [
  { schema: 'billing', name: 'invoice_number_seq', start: 1000, increment: 1 },
  { schema: 'public', name: 'ticket_number_seq', start: 1, increment: 10 },
];

const q = (s) => (/^[a-z_][a-z0-9_]*$/.test(s) ? s : `"${s.replace(/"/g, '""')}"`);
const qn = (schema, name) => `${q(schema)}.${q(name)}`;
const lit = (s) => `'${s.replace(/'/g, "''")}'`;
const clone = (x) => structuredClone(x);

/** The model of version A. */
export const generateModel = (n, seed) => {
  const r = prng(seed);
  const enums = clone(ENUMS);
  const sequences = clone(SEQUENCES);
  const tables = [];
  for (let i = 0; i < n; i++) {
    const schema = SCHEMAS[i % SCHEMAS.length];
    const name = `${r.pick(WORDS)}_${String(i).padStart(5, '0')}`;
    const vlen = r.pick([32, 64, 80, 120, 255]);
    const [p, s] = r.pick([[10, 2], [12, 2], [14, 4], [18, 6]]);
    const columns = [
      { name: 'id', type: 'bigint', notNull: true, default: null, identity: true },
      { name: 'uid', type: 'uuid', notNull: true, default: 'gen_random_uuid()' },
      { name: 'name', type: 'text', notNull: true, default: null },
      { name: 'code', type: `varchar(${vlen})`, notNull: true, default: null },
      { name: 'amount', type: `numeric(${p},${s})`, notNull: r.chance(0.5), default: r.chance(0.5) ? '0' : null },
      { name: 'created_at', type: 'timestamptz', notNull: true, default: 'now()' },
      { name: 'attrs', type: 'jsonb', notNull: true, default: `'{}'::jsonb` },
      { name: 'active', type: 'boolean', notNull: true, default: 'true' },
      { name: 'qty', type: 'integer', notNull: false, default: r.chance(0.3) ? '1' : null },
      { name: 'note', type: 'text', notNull: false, default: null },
    ];
    if (r.chance(0.3)) columns.push({ name: 'ticket_no', type: 'bigint', notNull: false, default: `nextval('public.ticket_number_seq'::regclass)` });
    else if (schema === 'billing' && r.chance(0.3)) columns.push({ name: 'invoice_no', type: 'bigint', notNull: false, default: `nextval('billing.invoice_number_seq'::regclass)` });
    let enumCol = null;
    if (r.chance(0.35)) {
      const e = r.pick(enums);
      enumCol = { name: 'state', type: qn(e.schema, e.name), notNull: true, default: `${lit(e.labels[0])}::${qn(e.schema, e.name)}`, enumRef: `${e.schema}.${e.name}` };
      columns.push(enumCol);
    }
    let fk = null;
    if (i > 0) {
      const target = Math.max(0, i - r.int(1, 50));
      columns.push({ name: 'parent_id', type: 'bigint', notNull: false, default: null });
      fk = { name: `${name}_parent_fk`, column: 'parent_id', target, onDelete: r.pick(['NO ACTION', 'CASCADE', 'SET NULL', 'RESTRICT']) };
    }
    const check = r.pick([
      { name: `${name}_qty_chk`, expr: 'qty IS NULL OR qty >= 0' },
      { name: `${name}_name_chk`, expr: 'length(name) > 0' },
      { name: `${name}_amount_chk`, expr: 'amount IS NULL OR amount >= 0' },
    ]);
    const indexes = [{ name: `${name}_code_key`, unique: true, method: 'btree', columns: ['code'], where: null }];
    if (fk && r.chance(0.6)) indexes.push({ name: `${name}_parent_idx`, unique: false, method: 'btree', columns: ['parent_id'], where: null });
    if (indexes.length < 3 && r.chance(0.25)) indexes.push({ name: `${name}_attrs_gin`, unique: false, method: 'gin', columns: ['attrs'], where: null });
    if (indexes.length < 3 && r.chance(0.3)) indexes.push({ name: `${name}_recent_idx`, unique: false, method: 'btree', columns: ['created_at'], where: 'active' });
    const comment = r.chance(0.25) ? `${name.split('_')[0]} records (#${i})` : null;
    if (r.chance(0.1)) columns[2].comment = 'display name';
    tables.push({ i, schema, name, columns, fk, checks: [check], indexes, comment });
  }
  const views = [];
  const functions = [];
  const triggers = [];
  for (let i = 10; i < n; i += 20) {
    const t = tables[i];
    const parent = t.fk ? tables[t.fk.target] : null;
    const cols = ['id', 'name', 'amount', 'created_at'];
    views.push({ schema: t.schema, name: `${t.name}_v`, table: i, parent: parent ? parent.i : null, cols, where: 'active' });
    const fname = `${t.name}_touch`;
    functions.push({ schema: t.schema, name: fname, body: `BEGIN\n  NEW.name := btrim(NEW.name);\n  IF NEW.note IS NULL THEN\n    NEW.note := '';\n  END IF;\n  RETURN NEW;\nEND;` });
    triggers.push({ name: `${t.name}_touch_trg`, table: i, function: `${t.schema}.${fname}`, timing: 'BEFORE INSERT OR UPDATE' });
  }
  return { n, seed, enums, sequences, tables, views, functions, triggers };
};

/**
 * Version B: A with ~1% of the tables changed, one kind of change each, cycling through the kinds; plus one enum
 * value added. Returns the model and a description of what changed.
 */
export const mutateModel = (a, seed) => {
  const b = clone(a);
  const r = prng(seed ^ 0x5bd1e995);
  const count = Math.max(1, Math.round(a.n / 100));
  const used = new Set();
  const viewByTable = new Map(b.views.map((v) => [v.table, v]));
  const trigTables = new Set(b.triggers.map((t) => t.table));
  const changes = [];
  const kinds = [
    ['add column', () => true, (t) => t.columns.push({ name: 'extra_ref', type: 'text', notNull: false, default: null })],
    ['drop column', (t) => !viewByTable.has(t.i) && !trigTables.has(t.i), (t) => { t.columns = t.columns.filter((c) => c.name !== 'note'); }],
    ['change column type', (t) => !viewByTable.has(t.i) && t.checks.every((c) => !c.expr.includes('qty')), (t) => { t.columns.find((c) => c.name === 'qty').type = 'bigint'; }],
    ['add index', (t) => t.indexes.length < 3, (t) => t.indexes.push({ name: `${t.name}_name_idx`, unique: false, method: 'btree', columns: ['name'], where: null })],
    ['drop check', () => true, (t) => { t.checks = []; }],
    ['change default', () => true, (t) => { t.columns.find((c) => c.name === 'active').default = 'false'; }],
    ['alter view', (t) => viewByTable.has(t.i), (t) => { viewByTable.get(t.i).where = 'active AND qty IS NOT NULL'; }],
    ['set not null', () => true, (t) => { t.columns.find((c) => c.name === 'qty').notNull = true; }],
  ];
  for (let k = 0; k < count; k++) {
    const [kind, ok, apply] = kinds[k % kinds.length];
    let t = null;
    for (let tries = 0; tries < 10_000; tries++) {
      const cand = b.tables[r.int(0, b.tables.length - 1)];
      if (!used.has(cand.i) && ok(cand)) { t = cand; break; }
    }
    if (!t) continue;
    used.add(t.i);
    apply(t);
    changes.push(`${kind}: ${t.schema}.${t.name}`);
  }
  b.enums[1].labels.push('critical');
  changes.push(`add enum value: ${b.enums[1].schema}.${b.enums[1].name} 'critical'`);
  return { model: b, changes };
};

const columnSql = (c) =>
  `  ${q(c.name)} ${c.type}` +
  (c.identity ? ' GENERATED BY DEFAULT AS IDENTITY' : '') +
  (c.notNull ? ' NOT NULL' : '') +
  (c.default != null ? ` DEFAULT ${c.default}` : '');

const tableSql = (m, t) => {
  const items = t.columns.map(columnSql);
  items.push(`  CONSTRAINT ${q(`${t.name}_pkey`)} PRIMARY KEY (id)`);
  if (t.fk) {
    const target = m.tables[t.fk.target];
    items.push(`  CONSTRAINT ${q(t.fk.name)} FOREIGN KEY (${t.fk.column}) REFERENCES ${qn(target.schema, target.name)} (id) ON DELETE ${t.fk.onDelete}`);
  }
  for (const c of t.checks) items.push(`  CONSTRAINT ${q(c.name)} CHECK (${c.expr})`);
  const out = [`CREATE TABLE ${qn(t.schema, t.name)} (\n${items.join(',\n')}\n);`];
  for (const x of t.indexes) {
    out.push(`CREATE ${x.unique ? 'UNIQUE ' : ''}INDEX ${q(x.name)} ON ${qn(t.schema, t.name)} USING ${x.method} (${x.columns.map(q).join(', ')})${x.where ? ` WHERE ${x.where}` : ''};`);
  }
  if (t.comment) out.push(`COMMENT ON TABLE ${qn(t.schema, t.name)} IS ${lit(t.comment)};`);
  for (const c of t.columns) if (c.comment) out.push(`COMMENT ON COLUMN ${qn(t.schema, t.name)}.${q(c.name)} IS ${lit(c.comment)};`);
  return out.join('\n');
};

/** Renders a model to psql input: batches of `batch` tables per transaction (lock table limits), progress lines. */
export const renderSql = (m, { label = '', batch = 100 } = {}) => {
  const parts = [
    `-- keikaku bench schema ${label}: generator v${GENERATOR_VERSION}, seed ${m.seed}, ${m.n} tables`,
    'SET client_min_messages = warning;',
    'BEGIN;',
    ...SCHEMAS.filter((s) => s !== 'public').map((s) => `CREATE SCHEMA ${q(s)};`),
    ...m.enums.map((e) => `CREATE TYPE ${qn(e.schema, e.name)} AS ENUM (${e.labels.map(lit).join(', ')});`),
    ...m.sequences.map((s) => `CREATE SEQUENCE ${qn(s.schema, s.name)} START WITH ${s.start} INCREMENT BY ${s.increment};`),
    'COMMIT;',
  ];
  for (let start = 0; start < m.tables.length; start += batch) {
    parts.push('BEGIN;');
    for (const t of m.tables.slice(start, start + batch)) parts.push(tableSql(m, t));
    parts.push('COMMIT;');
    parts.push(`\\echo kkbench-progress ${Math.min(start + batch, m.tables.length)} ${m.tables.length}`);
  }
  parts.push('BEGIN;');
  for (const f of m.functions) {
    parts.push(`CREATE FUNCTION ${qn(f.schema, f.name)}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n${f.body}\n$fn$;`);
  }
  for (const g of m.triggers) {
    const t = m.tables[g.table];
    parts.push(`CREATE TRIGGER ${q(g.name)} ${g.timing} ON ${qn(t.schema, t.name)} FOR EACH ROW EXECUTE FUNCTION ${g.function}();`);
  }
  for (const v of m.views) {
    const t = m.tables[v.table];
    const p = v.parent != null ? m.tables[v.parent] : null;
    const cols = v.cols.map((c) => `t.${q(c)}`).join(', ');
    const where = v.where.replace(/\b(active|qty)\b/g, 't.$1');
    parts.push(
      p
        ? `CREATE VIEW ${qn(v.schema, v.name)} AS\n  SELECT ${cols}, p.name AS parent_name\n  FROM ${qn(t.schema, t.name)} t LEFT JOIN ${qn(p.schema, p.name)} p ON p.id = t.parent_id\n  WHERE ${where};`
        : `CREATE VIEW ${qn(v.schema, v.name)} AS\n  SELECT ${cols}\n  FROM ${qn(t.schema, t.name)} t\n  WHERE ${where};`,
    );
  }
  parts.push('COMMIT;');
  parts.push('ANALYZE;');
  return parts.join('\n') + '\n';
};

/** Counts of the objects of a model, for the report. */
export const modelStats = (m) => ({
  tables: m.tables.length,
  columns: m.tables.reduce((s, t) => s + t.columns.length, 0),
  indexes: m.tables.reduce((s, t) => s + t.indexes.length + 1, 0),
  foreignKeys: m.tables.filter((t) => t.fk).length,
  checks: m.tables.reduce((s, t) => s + t.checks.length, 0),
  views: m.views.length,
  functions: m.functions.length,
  triggers: m.triggers.length,
  enums: m.enums.length,
  sequences: m.sequences.length,
});
