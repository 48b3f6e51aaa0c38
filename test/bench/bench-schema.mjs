/**
 * The benchmark's `schema/` in the DSL, shared by the generate benchmarks: N tables in TypeScript files of
 * PER_FILE tables each, ~10 columns per table (identity PK, uuid with default, text, varchar(n), numeric(p,s),
 * boolean, integer, jsonb, timestamptz, an FK to an earlier table, often across files, an enum column for some),
 * 1–3 indexes per table and a CHECK; four enums in enums.ts.
 *
 *   const s = benchSchema({ tables: 1000, perFile: 50, seed: 20261127 });
 *   s.files({ changed: true, extra: new Map([[7, 2]]) })   // file name → text
 *
 * `changed` widens `code` of the middle table (`s.changedIndex`) from varchar(40) to varchar(80) (a number: to that
 * length); `extra` adds
 * nullable integer columns `extra1…extraK` to table i (what the history benchmark grows its history with).
 */
import { prng } from './schema-gen.mjs';

export const ENUMS = [
  ['order_state', ['draft', 'open', 'paid', 'shipped', 'closed']],
  ['priority', ['low', 'normal', 'high', 'urgent']],
  ['visibility', ['private', 'team', 'public']],
  ['channel', ['web', 'mobile', 'api', 'import']],
];
const WORDS = ['account', 'order', 'invoice', 'payment', 'customer', 'product', 'shipment', 'ledger', 'event', 'session',
  'device', 'report', 'tenant', 'project', 'task', 'comment', 'address', 'contract', 'refund', 'coupon'];

export const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

export const fileName = (f) => `tables_${String(f + 1).padStart(3, '0')}.ts`;

/** Table i: its name, the file it is in, the table it references (an earlier one), its optional parts. */
const tableModel = (n, perFile, seed) => {
  const r = prng(seed);
  return Array.from({ length: n }, (_, i) => ({
    i,
    name: `t${String(i + 1).padStart(5, '0')}_${r.pick(WORDS)}`,
    file: Math.floor(i / perFile),
    ref: i === 0 ? null : Math.max(0, i - r.int(1, Math.min(i, 80))),
    enumType: r.chance(0.4) ? r.int(0, ENUMS.length - 1) : null,
    gin: r.chance(0.25),
    partial: r.chance(0.3),
    uniqueCode: r.chance(0.5),
  }));
};

const tableSource = (t, tables, codeLength, extra) => {
  const v = camel(t.name);
  const cols = [
    `    id: bigint().generatedAlwaysAsIdentity().primaryKey(),`,
    `    publicId: uuid().notNull().unique().default(sql\`gen_random_uuid()\`),`,
    `    name: text().notNull(),`,
    `    code: varchar({ length: ${codeLength} }),`,
    `    amount: numeric({ precision: 12, scale: 2 }).notNull().default('0'),`,
    `    active: boolean().notNull().default(true),`,
    `    quantity: integer().notNull().default(0),`,
    `    data: jsonb().notNull().default({}),`,
    ...(t.ref === null ? [] : [`    parentId: bigint().references(() => ${camel(tables[t.ref].name)}.id, { onDelete: 'cascade' }),`]),
    ...(t.enumType === null ? [] : [`    state: ${camel(ENUMS[t.enumType][0])}().notNull().default('${ENUMS[t.enumType][1][0]}'),`]),
    `    createdAt: timestamptz().notNull().defaultNow(),`,
    ...Array.from({ length: extra }, (_, k) => `    extra${k + 1}: integer(),`),
  ];
  const extras = [
    `check('${t.name}_quantity_nonneg', sql\`quantity >= 0\`)`,
    ...(t.ref === null ? [] : [`index('${t.name}_parent_id').on(t.parentId)`]),
    ...(t.uniqueCode ? [`index('${t.name}_code_key').unique().on(t.code)`] : []),
    ...(t.gin ? [`index('${t.name}_data').using('gin').on(t.data)`] : []),
    ...(t.partial ? [`index('${t.name}_recent').on(t.createdAt).where(sql\`active\`)`] : []),
  ];
  return `export const ${v} = table(\n  '${t.name}',\n  {\n${cols.join('\n')}\n  },\n  (t) => [\n    ${extras.join(',\n    ')},\n  ],\n);\n`;
};

export const benchSchema = ({ tables: n, perFile, seed }) => {
  const tables = tableModel(n, perFile, seed);
  const changedIndex = Math.floor(n / 2);
  /** Every schema file's text. */
  const files = ({ changed = false, extra = new Map() } = {}) => {
    const out = new Map();
    out.set(
      'enums.ts',
      `import { enumType } from 'keikaku';\n\n${ENUMS.map(([name, labels]) => `export const ${camel(name)} = enumType('${name}', [${labels.map((l) => `'${l}'`).join(', ')}]);`).join('\n')}\n`,
    );
    const fileCount = Math.ceil(n / perFile);
    for (let f = 0; f < fileCount; f++) {
      const mine = tables.filter((t) => t.file === f);
      const imports = new Map(); // file → names
      for (const t of mine) {
        if (t.ref !== null && tables[t.ref].file !== f) {
          const other = tables[t.ref].file;
          imports.set(other, new Set([...(imports.get(other) ?? []), camel(tables[t.ref].name)]));
        }
      }
      const enums = [...new Set(mine.filter((t) => t.enumType !== null).map((t) => camel(ENUMS[t.enumType][0])))].sort();
      const head = [
        `import { bigint, boolean, check, index, integer, jsonb, numeric, sql, table, text, timestamptz, uuid, varchar } from 'keikaku';`,
        ...(enums.length ? [`import { ${enums.join(', ')} } from './enums.js';`] : []),
        ...[...imports.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([other, names]) => `import { ${[...names].sort().join(', ')} } from './${fileName(other).replace(/\.ts$/, '.js')}';`),
      ];
      const body = mine.map((t) => tableSource(t, tables, changed !== false && t.i === changedIndex ? (changed === true ? 80 : changed) : 40, extra.get(t.i) ?? 0));
      out.set(fileName(f), `${head.join('\n')}\n\n${body.join('\n')}`);
    }
    return out;
  };
  return { tables, changedIndex, files };
};
