/**
 * The same benchmark schema for Drizzle Kit, so `npm run bench:generate -- --against-drizzle` times both tools on
 * one schema in one run (drizzle-kit and drizzle-orm are devDependencies for this only).
 *
 * `drizzleFiles(tables, enums, changedIndex, perFile)` renders the model of test/bench/generate.mjs as drizzle-orm
 * `pgTable` declarations, table for table and column for column (same names, types, defaults, FKs with the same
 * ON DELETE, the same indexes and CHECK), one file per `perFile` tables as keikaku's schema/ has them.
 * `drizzleProject(dir)` writes the drizzle.config.ts; `drizzleGenerate` runs `drizzle-kit generate` as a child
 * process with the same peak-RSS hook as keikaku's runs.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

const camel = (s) => s.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

/** drizzle-kit's command-line entry, or null when the devDependency is not installed. */
const drizzleKitDir = () => {
  try {
    return dirname(require.resolve('drizzle-kit')); // its package.json is not exported
  } catch {
    return null;
  }
};

export const drizzleKitBin = () => {
  const dir = drizzleKitDir();
  return dir && join(dir, 'bin.cjs');
};

export const drizzleVersion = () => {
  const dir = drizzleKitDir();
  return dir && JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
};

const fileName = (f) => `tables_${String(f + 1).padStart(3, '0')}.ts`;

const tableSource = (t, tables, enums, codeLength) => {
  const cols = [
    `    id: bigint('id', { mode: 'number' }).generatedAlwaysAsIdentity().primaryKey(),`,
    `    publicId: uuid('public_id').notNull().unique().default(sql\`gen_random_uuid()\`),`,
    `    name: text('name').notNull(),`,
    `    code: varchar('code', { length: ${codeLength} }),`,
    `    amount: numeric('amount', { precision: 12, scale: 2 }).notNull().default('0'),`,
    `    active: boolean('active').notNull().default(true),`,
    `    quantity: integer('quantity').notNull().default(0),`,
    `    data: jsonb('data').notNull().default({}),`,
    ...(t.ref === null
      ? []
      : [`    parentId: bigint('parent_id', { mode: 'number' }).references((): AnyPgColumn => ${camel(tables[t.ref].name)}.id, { onDelete: 'cascade' }),`]),
    ...(t.enumType === null ? [] : [`    state: ${camel(enums[t.enumType][0])}('state').notNull().default('${enums[t.enumType][1][0]}'),`]),
    `    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),`,
  ];
  const extras = [
    `check('${t.name}_quantity_nonneg', sql\`quantity >= 0\`)`,
    ...(t.ref === null ? [] : [`index('${t.name}_parent_id').on(t.parentId)`]),
    ...(t.uniqueCode ? [`uniqueIndex('${t.name}_code_key').on(t.code)`] : []),
    ...(t.gin ? [`index('${t.name}_data').using('gin', t.data)`] : []),
    ...(t.partial ? [`index('${t.name}_recent').on(t.createdAt).where(sql\`active\`)`] : []),
  ];
  return `export const ${camel(t.name)} = pgTable(\n  '${t.name}',\n  {\n${cols.join('\n')}\n  },\n  (t) => [\n    ${extras.join(',\n    ')},\n  ],\n);\n`;
};

/** Every drizzle schema file's text; the table at `changedIndex` gets `code varchar(80)` instead of 40. */
export const drizzleFiles = (tables, enums, changedIndex, perFile) => {
  const files = new Map();
  files.set(
    'enums.ts',
    `import { pgEnum } from 'drizzle-orm/pg-core';\n\n${enums.map(([n, labels]) => `export const ${camel(n)} = pgEnum('${n}', [${labels.map((l) => `'${l}'`).join(', ')}]);`).join('\n')}\n`,
  );
  const fileCount = Math.ceil(tables.length / perFile);
  for (let f = 0; f < fileCount; f++) {
    const mine = tables.filter((t) => t.file === f);
    const imports = new Map();
    for (const t of mine) {
      if (t.ref !== null && tables[t.ref].file !== f) {
        const other = tables[t.ref].file;
        imports.set(other, new Set([...(imports.get(other) ?? []), camel(tables[t.ref].name)]));
      }
    }
    const used = [...new Set(mine.filter((t) => t.enumType !== null).map((t) => camel(enums[t.enumType][0])))].sort();
    const head = [
      `import { sql } from 'drizzle-orm';`,
      `import { type AnyPgColumn, bigint, boolean, check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from 'drizzle-orm/pg-core';`,
      ...(used.length ? [`import { ${used.join(', ')} } from './enums';`] : []),
      ...[...imports.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([other, names]) => `import { ${[...names].sort().join(', ')} } from './${fileName(other).replace(/\.ts$/, '')}';`),
    ];
    const body = mine.map((t) => tableSource(t, tables, enums, t.i === changedIndex ? 80 : 40));
    files.set(fileName(f), `${head.join('\n')}\n\n${body.join('\n')}`);
  }
  return files;
};

/** A drizzle project in `dir`: drizzle.config.ts, drizzle/schema/, drizzle/migrations/ (out). */
export const drizzleProject = (dir) => {
  mkdirSync(join(dir, 'drizzle', 'schema'), { recursive: true });
  writeFileSync(
    join(dir, 'drizzle.config.ts'),
    `import { defineConfig } from 'drizzle-kit';\n\nexport default defineConfig({\n  dialect: 'postgresql',\n  schema: './drizzle/schema/*.ts',\n  out: './drizzle/migrations',\n});\n`,
  );
  return { schemaDir: join(dir, 'drizzle', 'schema'), outDir: join(dir, 'drizzle', 'migrations') };
};

export const writeDrizzleSchema = (schemaDir, files) => {
  for (const [name, text] of files) writeFileSync(join(schemaDir, name), text);
};
