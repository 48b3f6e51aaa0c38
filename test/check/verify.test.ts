/**
 * `verify` on the example app's history, on PGlite and on the server: every migration round-trips and the head
 * equals generated/schema.sql; a down broken by hand (sum file updated, so the history itself is intact) is reported
 * at its migration with the difference the catalog shows; an edited file without its sum is refused (exit 3).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runVerify } from '../../src/cli/verify.js';
import { readHistory } from '../../src/load/migrations.js';
import { verify } from '../../src/verify/index.js';
import { formatVerifyText } from '../../src/verify/format.js';
import { backends, serverRequired } from '../support/backends.js';
import { projectRoot } from '../support/paths.js';
import { exampleProject, removeProjects, replaceIn, resum } from './project.js';

afterAll(removeProjects);

const BROKEN = '20261122090000_add_office_timezone';
const ids = readHistory(join(projectRoot, 'generated')).migrations.map((m) => m.id);

/** The example app with the down of BROKEN emptied by hand, and the sum file updated to match. */
const brokenDown = () =>
  exampleProject((root) => {
    replaceIn(join(root, 'generated/migrations', BROKEN, '1_expand.down.sql'), 'ALTER TABLE "public"."offices" DROP COLUMN "timezone";', '');
    resum(join(root, 'generated'));
  });

const server = (await backends()).find((b) => b.name === 'server');
const shadows = [
  { title: 'pglite', shadowUrl: undefined as string | undefined },
  ...(server || serverRequired() ? [{ title: 'server', shadowUrl: server?.serverUrl }] : []),
];

describe.each(shadows)('verify on $title', ({ shadowUrl }) => {
  it('the example history round-trips, up → down → up, and its head is generated/schema.sql', async () => {
    const config = await exampleProject();
    const report = await verify(config.generatedDir, { shadowUrl, cacheRoot: config.root });
    expect(report.failure).toBeNull();
    expect(report.verified).toEqual(ids);
    expect(report.headCompared).toBe(true);
    expect(report.exitCode).toBe(0);
    expect(formatVerifyText(report)).toContain(`All ${ids.length} migration(s) round-trip.`);
  });

  it('a down broken by hand: exit 2, naming the migration and what its down leaves behind', async () => {
    const config = await brokenDown();
    const report = await verify(config.generatedDir, { shadowUrl, cacheRoot: config.root });
    expect(report.exitCode).toBe(2);
    expect(report.verified).toEqual(ids.slice(0, ids.indexOf(BROKEN)));
    expect(report.failure).toEqual({ migration: BROKEN, stage: 'down', differences: ['column public.offices.timezone is left over'], irreversible: [] });
    const text = formatVerifyText(report);
    expect(text).toContain(`  FAIL  ${BROKEN}: its down does not bring back the schema before it\n        column public.offices.timezone is left over`);
    expect(text).toContain(`${BROKEN} does not round-trip.`);
  });
});

describe.skipIf(!server && !serverRequired())('verify on the server: the other ways a history fails', () => {
  it('an up file that fails to run: exit 2, the Postgres error at its file and line', async () => {
    const id = '20261124090000_index_support_plans_due_on';
    const config = await exampleProject((root) => {
      replaceIn(join(root, 'generated/migrations', id, '1_expand.up.sql'), '(due_on)', '(due_at)');
      resum(join(root, 'generated'));
    });
    const report = await verify(config.generatedDir, { shadowUrl: server?.serverUrl });
    expect(report.exitCode).toBe(2);
    expect(report.failure).toMatchObject({ migration: id, stage: 'up', differences: [] });
    const file = join(config.generatedDir, 'migrations', id, '1_expand.up.sql');
    const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('CREATE INDEX')) + 1;
    expect(report.failure?.error).toContain(`${file}:${line}: ERROR: column "due_at" does not exist`);
  });

  it('generated/schema.sql that is not what the history makes: exit 2 at the head, naming the column', async () => {
    const config = await exampleProject((root) =>
      replaceIn(join(root, 'generated/schema.sql'), `"timezone" text DEFAULT 'Asia/Tokyo'::text NOT NULL,`, `"timezone" text DEFAULT 'UTC'::text NOT NULL,`),
    );
    const report = await verify(config.generatedDir, { shadowUrl: server?.serverUrl });
    expect(report.exitCode).toBe(2);
    expect(report.verified).toEqual(ids.slice(0, -1));
    expect(report.failure).toEqual({ migration: ids.at(-1), stage: 'head', differences: ["column public.offices.timezone differs: default is 'Asia/Tokyo'::text, expected 'UTC'::text"], irreversible: [] });
  });
});

describe('verify refuses a history that is not intact', () => {
  it('an edited down without its sum: exit 3, nothing replayed', async () => {
    const config = await exampleProject((root) =>
      replaceIn(join(root, 'generated/migrations', BROKEN, '1_expand.down.sql'), 'DROP COLUMN "timezone"', 'DROP COLUMN IF EXISTS "timezone"'),
    );
    const r = await runVerify(config, { format: 'json' });
    expect(r.exitCode).toBe(3);
    const report = JSON.parse(r.stdout);
    expect(report.problems).toEqual([
      { code: 'FILE_EDITED', message: `${BROKEN}/1_expand.down.sql was edited after it was generated`, file: `migrations/${BROKEN}/1_expand.down.sql` },
    ]);
    expect(report.verified).toEqual([]);
  });
});
