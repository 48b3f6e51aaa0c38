/** `keikaku init`: a config, an example schema file, the generated/ folder and .gitignore entries, for a new project. */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_FILE } from '../config/index.js';

const CONFIG = `import { defineConfig } from 'keikaku';

export default defineConfig({
  schemaDir: 'schema',
  generatedDir: 'generated',
  // shadowUrl: 'postgres://localhost:5432/postgres', // a server for the shadow database instead of embedded PGlite
  // DATABASE_URL (.env) is the development database. Production has its own variable, so that a local URL is never
  // taken for it; \`keikaku env mark production\` on the production database guards it by any route.
  environments: {
    production: { url: 'env:PRODUCTION_DATABASE_URL', production: true },
  },
});
`;

/** The example table; `pull` removes this file while it is unchanged, so the example never becomes a migration. */
export const INIT_EXAMPLE_FILE = 'accounts.ts';
const EXAMPLE = `// keikaku init's example: edit it, or delete it. \`keikaku pull\` removes this file while it is unchanged.
import { sql, table, text, timestamptz, uuid } from 'keikaku';

export const accounts = table('accounts', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  name: text().notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});
`;

/**
 * What git must not track in a keikaku project: dependencies (keikaku's cache is node_modules/.cache/keikaku) and
 * `.env` (DATABASE_URL, with its password). Each entry with the spellings that already cover it.
 */
const IGNORED: readonly { readonly line: string; readonly covered: readonly string[] }[] = [
  { line: 'node_modules/', covered: ['node_modules', 'node_modules/', '/node_modules', '/node_modules/', 'node_modules/**'] },
  { line: '.env', covered: ['.env', '/.env', '.env*', '*.env'] },
];

/**
 * Adds the entries of `IGNORED` that `.gitignore` lacks, after what is there (kept byte for byte): 'written' for a
 * new file, 'extended' for an existing one, undefined when nothing was missing (so a second init changes nothing).
 */
const extendGitignore = (cwd: string): 'written' | 'extended' | undefined => {
  const path = join(cwd, '.gitignore');
  const before = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const present = new Set((before ?? '').split(/\r?\n/).map((l) => l.trim()));
  const missing = IGNORED.filter((e) => !e.covered.some((c) => present.has(c))).map((e) => e.line);
  if (missing.length === 0) return undefined;
  const block = `# keikaku: dependencies (and keikaku's cache, node_modules/.cache/keikaku); DATABASE_URL secrets\n${missing.join('\n')}\n`;
  if (before === undefined) {
    writeFileSync(path, block);
    return 'written';
  }
  const gap = before === '' ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  writeFileSync(path, `${before}${gap}${block}`);
  return 'extended';
};

/**
 * Removes init's example file from `schemaDir` while it is exactly as init wrote it (a `pull` is about to write the
 * database's tables instead); returns its path when it did.
 */
export const removeUntouchedExample = (schemaDir: string): string | undefined => {
  const path = join(schemaDir, INIT_EXAMPLE_FILE);
  if (!existsSync(path) || readFileSync(path, 'utf8') !== EXAMPLE) return undefined;
  rmSync(path);
  return path;
};

export const runInit = (cwd: string) => {
  const wrote: string[] = [];
  const kept: string[] = [];
  const put = (rel: string, content: string | null) => {
    const path = join(cwd, rel);
    if (existsSync(path)) return kept.push(rel);
    if (content === null) mkdirSync(path, { recursive: true });
    else writeFileSync(path, content);
    wrote.push(rel);
  };
  put(CONFIG_FILE, CONFIG);
  const hadSchema = existsSync(join(cwd, 'schema'));
  put('schema', null);
  if (!hadSchema) put(join('schema', INIT_EXAMPLE_FILE), EXAMPLE);
  put('generated', null);
  const ignore = extendGitignore(cwd);
  if (ignore === 'written') wrote.push('.gitignore');
  if (ignore === 'extended') wrote.push('.gitignore (entries added)');
  if (wrote.length === 0)
    return { stdout: `Nothing to do: ${kept.join(', ')} already exist here; nothing was changed.\n`, exitCode: 0 };
  return {
    stdout: `wrote ${wrote.join(', ')}${kept.length ? ` (kept ${kept.join(', ')})` : ''}\nNext: edit schema/, then \`keikaku generate init\`.\n`,
    exitCode: 0,
  };
};
