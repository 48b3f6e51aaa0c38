import { readFile } from 'node:fs/promises';
import { introspect } from '../../src/introspect/index.js';
import { pgliteDb, scratchDatabase, startPglite } from './adapters.js';
const fixture = await readFile(new URL('./fixture.sql', import.meta.url), 'utf8');
const role = `DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'keikaku_it_reader') THEN CREATE ROLE keikaku_it_reader; END IF; END $$;`;
const which = process.argv[2];
if (which === 'server') {
  const s = await scratchDatabase('keikaku_smoke');
  try {
    await s.db.exec(role + fixture);
    console.log(JSON.stringify(await introspect(s.db), null, 1));
  } finally { await s.drop(); }
} else {
  const l = await startPglite();
  const db = pgliteDb(l);
  await db.exec(role + fixture);
  console.log(JSON.stringify(await introspect(db), null, 1));
}
