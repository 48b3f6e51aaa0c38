/**
 * A fleet's targets and its order, without a database: the targets file (comments, blank lines, whitespace; a
 * malformed URL refused with its password masked, naming the line) and the scheduler (the parallel bound, canaries
 * first, stop or continue after a failure).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/db/errors.js';
import { schedule } from '../../src/fleet/schedule.js';
import { listedTargets, parseTargetsFile, queriedTargets } from '../../src/fleet/targets.js';

const word = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/);
const secret = fc.stringMatching(/^[A-Za-z0-9]{6,16}$/).map((s) => `Pw${s}`);
const blank = fc.constantFrom('', ' ', '\t', '  \t ');
const comment = fc.tuple(blank, fc.stringMatching(/^[ -~]{0,30}$/)).map(([w, c]) => `${w}#${c}`);

describe('targets file', () => {
  it('keeps every URL in order, skipping comments, blank lines and surrounding whitespace', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(word, word, secret, fc.integer({ min: 1, max: 65535 })), { minLength: 1, maxLength: 8, selector: ([u, d, , p]) => `${u}/${d}/${p}` }),
        fc.array(fc.oneof(blank, comment), { maxLength: 12 }),
        fc.array(fc.tuple(blank, blank, fc.option(comment.map((c) => ` ${c.trimStart()}`), { nil: undefined })), { minLength: 8, maxLength: 8 }),
        fc.integer({ min: 0, max: 1000 }),
        (dbs, noise, pads, seed) => {
          const urls = dbs.map(([user, db, pw, port]) => `postgres://${user}:${pw}@db.example:${port}/${db}`);
          const lines: string[] = [];
          let n = seed;
          const wanted: number[] = [];
          const rest = [...noise];
          urls.forEach((u, i) => {
            // Some noise before each URL, placed by the seed.
            while (rest.length && (n = (n * 31 + 7) % 1009) % 3 === 0) lines.push(rest.shift()!);
            const [before, after, trailing] = pads[i]!;
            lines.push(`${before}${u}${after}${trailing ?? ''}`);
            wanted.push(lines.length);
          });
          lines.push(...rest);
          const parsed = parseTargetsFile(lines.join(seed % 2 ? '\r\n' : '\n'), 'targets.txt');
          expect(parsed.map((p) => p.url)).toEqual(urls);
          expect(parsed.map((p) => p.source)).toEqual(wanted.map((l) => `targets.txt:${l}`));
          for (const [i, p] of parsed.entries()) {
            expect(p.label).not.toContain(dbs[i]![2]);
            expect(p.label).toBe(`postgres://${dbs[i]![0]}@db.example:${dbs[i]![3]}/${dbs[i]![1]}`);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a malformed URL naming its line, with the password masked', () => {
    const bad = [
      (pw: string) => `mysql://app:${pw}@db.example/app`,
      (pw: string) => `postgres://app:${pw}@db.example:99999/app`,
      (pw: string) => `postgres:/app:${pw}@db.example/app`,
      (pw: string) => `host=db.example password=${pw}`,
      (pw: string) => `postgres://app:${pw}@db.example/a%zzpp`,
    ];
    fc.assert(
      fc.property(secret, fc.integer({ min: 0, max: bad.length - 1 }), fc.array(fc.oneof(blank, comment), { maxLength: 4 }), (pw, which, before) => {
        const text = [...before, 'postgres://ok@db.example/one', bad[which]!(pw), 'postgres://ok@db.example/two'].join('\n');
        let error: unknown;
        try {
          parseTargetsFile(text, 'fleet.txt');
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(UserError);
        const message = (error as Error).message;
        expect(message).toContain(`fleet.txt:${before.length + 2}:`);
        expect(message).not.toContain(pw);
      }),
      { numRuns: 100 },
    );
  });

  it('refuses a database listed twice, an empty file, and a config list entry that is not a URL', () => {
    // Ports written out: a URL without one takes PGPORT, which the environment may set.
    expect(() => parseTargetsFile('postgres://a:x@h:5432/db\n# c\npostgres://a:y@h:5432/db\n', 'f')).toThrow(/listed twice \(f:1 and f:3\)/);
    expect(() => parseTargetsFile('# nothing\n\n', 'f')).toThrow(/no database URL/);
    expect(() => listedTargets([{ url: 42 } as unknown as { url: string }], 'keikaku.config.ts')).toThrow(/targets\[0\]/);
    expect(() => queriedTargets([{ url: null }], 'q')).toThrow(/q row 1/);
    const named = listedTargets(['postgres://a@h/one', { name: 'eu', url: 'postgres://a@h/two', production: true }], 'keikaku.config.ts');
    expect(named.map((t) => [t.name, t.production, t.source])).toEqual([
      [undefined, false, 'keikaku.config.ts targets[0]'],
      ['eu', true, 'keikaku.config.ts targets[1]'],
    ]);
  });
});

describe('schedule', () => {
  const tick = () => new Promise((r) => setTimeout(r, 1 + Math.floor(Math.random() * 3)));

  it('never runs more than `parallel` at once, reaches it, and keeps the items in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 8 }), async (n, parallel) => {
        let running = 0;
        let most = 0;
        const out = await schedule(
          Array.from({ length: n }, (_, i) => i),
          { parallel },
          async (i) => {
            most = Math.max(most, ++running);
            await tick();
            running--;
            return i * 2;
          },
          () => false,
        );
        expect(most).toBe(Math.min(parallel, n));
        expect(out).toEqual(Array.from({ length: n }, (_, i) => ({ kind: 'ran', result: i * 2, failed: false })));
      }),
      { numRuns: 40 },
    );
  });

  it('runs the canaries before any other, and a failing canary stops the rest', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 4 }), async (canary, parallel, badAt) => {
        const n = 10;
        const started: number[] = [];
        const finished = new Set<number>();
        const out = await schedule(
          Array.from({ length: n }, (_, i) => i),
          { parallel, canary, continueOnError: true },
          async (i) => {
            // Every item after the canaries starts only once all canaries finished.
            if (i >= canary) for (let c = 0; c < canary; c++) expect(finished.has(c)).toBe(true);
            started.push(i);
            await tick();
            finished.add(i);
            return i === badAt;
          },
          (bad) => bad,
        );
        if (badAt < canary) {
          expect(started.filter((i) => i >= canary)).toEqual([]);
          expect(out.slice(canary).every((r) => r.kind === 'skipped' && /canary failed/.test(r.reason))).toBe(true);
        } else expect(out.every((r) => r.kind === 'ran')).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it('stops starting new items after a failure (running ones finish) unless continueOnError', async () => {
    const run = (continueOnError: boolean) =>
      schedule(
        [0, 1, 2, 3, 4, 5],
        { parallel: 2, continueOnError },
        async (i) => {
          await new Promise((r) => setTimeout(r, i === 1 ? 5 : 20));
          return i === 1;
        },
        (bad) => bad,
      );
    const stopped = await run(false);
    // 0 and 1 start together; 1 fails first; 0 is running and finishes; nothing else starts.
    expect(stopped.map((r) => r.kind)).toEqual(['ran', 'ran', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(stopped[1]).toMatchObject({ failed: true });
    const all = await run(true);
    expect(all.map((r) => r.kind)).toEqual(['ran', 'ran', 'ran', 'ran', 'ran', 'ran']);
  });
});
