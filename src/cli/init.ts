/** `keikaku init`: a config, an example schema file and the generated/ folder, for a new project. */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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

const EXAMPLE = `import { sql, table, text, timestamptz, uuid } from 'keikaku';

export const accounts = table('accounts', {
  id: uuid().primaryKey().default(sql\`gen_random_uuid()\`),
  name: text().notNull(),
  createdAt: timestamptz('created_at').notNull().defaultNow(),
});
`;

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
  if (!hadSchema) put(join('schema', 'accounts.ts'), EXAMPLE);
  put('generated', null);
  if (wrote.length === 0)
    return { stdout: `Nothing to do: ${kept.join(', ')} already exist here; nothing was changed.\n`, exitCode: 0 };
  return {
    stdout: `wrote ${wrote.join(', ')}${kept.length ? ` (kept ${kept.join(', ')})` : ''}\nNext: edit schema/, then \`keikaku generate init\`.\n`,
    exitCode: 0,
  };
};
