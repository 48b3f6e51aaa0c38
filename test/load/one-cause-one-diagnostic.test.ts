/**
 * A reference to something never declared (a foreign key to a table that does not exist, an inheritance parent
 * that is not imported) is one problem: one KK102 line naming it, not a second "does not name a column" for the
 * same cause. Driven through `keikaku plan`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from './built.js';
import { runCliIn } from '../support/cli.js';
import { project, removeProjects } from '../cli/tmp-project.js';

// tsc may take minutes on a busy machine.
beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

// `users` and `base` are declared nowhere: each thunk throws a ReferenceError when it is called.
const SCHEMA = {
  'posts.ts': `import { foreignKey, integer, table } from 'keikaku';

declare const users: { id: never };
declare const base: unknown;

export const posts = table('posts', {
  id: integer().primaryKey(),
  authorId: integer('author_id').references(() => users.id),
});

export const comments = table(
  'comments',
  { id: integer().primaryKey(), postId: integer('post_id'), editorId: integer('editor_id') },
  (t) => [foreignKey({ columns: [t.editorId], references: () => [users.id] })],
);

export const child = table({ name: 'child', inherits: [() => base] }, { note: integer() });
`,
};

describe('an undeclared reference', () => {
  it('is reported once per cause (KK102), at the declaring line', async () => {
    const r = await runCliIn(project(SCHEMA), 'plan');
    expect(r.code).toBe(1);
    const lines = r.stderr.split('\n').filter((l) => l.includes('error KK'));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^schema\/posts\.ts:8:\d+: error KK102: authorId\.references .*users is not defined$/);
    expect(lines[1]).toMatch(/^schema\/posts\.ts:1[34]:\d+: error KK102: foreign key references .*users is not defined$/);
    expect(lines[2]).toMatch(/^schema\/posts\.ts:17:\d+: error KK102: inherits\[0\] .*base is not defined$/);
    expect(r.stderr).toContain('3 problems in the schema');
  });
});
