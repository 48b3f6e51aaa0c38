/**
 * `plan` judges its plan as `generate` would: with --exit-code a plan generate refuses exits 3 (not 2, not 0), and
 * without it the output says that this plan cannot be generated as is, in every format.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../load/built.js';
import { runCliIn } from '../support/cli.js';
import { edited, project, removeProjects } from './tmp-project.js';

const orders = (type: 'integer' | 'bigint') => ({
  'orders.ts': `import { bigint, index, integer, table } from 'keikaku';

export const orders = table('orders', { id: integer().primaryKey(), amount: ${type}().notNull() }, (t) => [index('orders_amount').on(t.amount)]);
`,
});

// tsc may take minutes on a busy machine.
beforeAll(ensureBuilt, 600_000);
afterAll(removeProjects);

describe('keikaku plan of a plan generate refuses', () => {
  it('exits 3 with --exit-code as generate does, says "cannot be generated as is" without it, and 2 once allowed', { timeout: 600_000 }, async () => {
    const v1 = project(orders('integer'));
    expect((await runCliIn(v1, 'generate', 'orders')).code).toBe(0);
    // In one phase, integer → bigint is an ALTER TYPE that rewrites the table: TABLE_REWRITE, not allowed by default.
    const dir = edited(v1, orders('bigint'));
    const generate = await runCliIn(dir, 'generate', '--strategy', 'simple', 'widen');
    expect(generate.code).toBe(3);
    expect(generate.stderr).toContain('TABLE_REWRITE');

    const gated = await runCliIn(dir, 'plan', '--strategy', 'simple', '--exit-code');
    expect(gated.code).toBe(3);
    const plain = await runCliIn(dir, 'plan', '--strategy', 'simple');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('refused: 1 hazard(s) not allowed');
    expect(plain.stdout.trimEnd().split('\n').at(-1)).toBe(
      'Cannot be generated as is: `keikaku generate` refuses this plan (exit 3) until the above is fixed or allowed.',
    );
    const json = await runCliIn(dir, 'plan', '--strategy', 'simple', '--format', 'json', '--exit-code');
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ generatable: false, refused: [expect.stringContaining('TABLE_REWRITE')] });
    expect((await runCliIn(dir, 'plan', '--strategy', 'simple', '--format', 'md')).stdout).toContain('Cannot be generated as is');
    const html = await runCliIn(dir, 'plan', '--strategy', 'simple', '--format', 'html', '--exit-code');
    expect(html.code).toBe(3);
    expect(html.stdout).toContain('<strong>Cannot be generated as is:</strong>');

    // Allowed as generate would be told: an ordinary difference (2), and generate then writes it.
    const allowed = await runCliIn(dir, 'plan', '--strategy', 'simple', '--exit-code', '--allow-hazards', 'TABLE_REWRITE');
    expect(allowed.code).toBe(2);
    expect(allowed.stdout).toContain('Run `keikaku generate <name>`');
    expect(JSON.parse((await runCliIn(dir, 'plan', '--strategy', 'simple', '--format', 'json', '--allow-hazards', 'TABLE_REWRITE')).stdout).generatable).toBe(true);
    expect((await runCliIn(dir, 'generate', '--strategy', 'simple', '--allow-hazards', 'TABLE_REWRITE', 'widen')).code).toBe(0);
  });
});
