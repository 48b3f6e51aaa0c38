/**
 * The shared acceptance corpus (../shared/acceptance/corpus/*.json) as test cases: the loadable ones, as
 * run.py selects them, with the rename hints their `@renamed` annotations carry.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { SHARED_MISSING, sharedAcceptanceDir } from './paths.js';

/** Whether the shared corpus is beside the clone; a clone on its own skips the tests over it. */
export const corpusAvailable = sharedAcceptanceDir !== null;

/**
 * Without the shared corpus: a skipped entry titled with the reason, and the reason printed, so that a run that
 * left the corpus tests out says so. Call it at the top level of a test file whose corpus tests skip.
 */
export const reportCorpusMissing = (what: string): void => {
  if (corpusAvailable) return;
  console.warn(`${what}: ${SHARED_MISSING}`);
  it.skip(`${what}: ${SHARED_MISSING}`, () => undefined);
};

export interface CorpusCase {
  readonly id: string;
  readonly current: string;
  readonly desired: string;
  readonly setup: string;
  readonly data: string | null;
  readonly roles: readonly string[];
  readonly renames: readonly string[];
}

interface RawCase {
  id: string;
  current_sql: string | null;
  desired_sql: string | null;
  current_sql_fixed?: string | null;
  desired_sql_fixed?: string | null;
  setup_sql: string | null;
  data_sql?: string | null;
  required_roles?: string[];
  renames?: [string, string, string | null, string, string][];
  loads: boolean;
  loads_after_fixup?: boolean | null;
  expected_error?: string | null;
}

const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
const unquote = (n: string) => {
  const t = n.trim().replace(/[,(]+$/, '');
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t.toLowerCase();
};
const NAME = String.raw`"(?:[^"]|"")*"|[\w$]+`;
const splitQualified = (s: string): [string, string] => {
  const parts = s.trim().match(/"(?:[^"]|"")*"|[^.]+/g)!.map(unquote);
  return parts.length === 2 ? [parts[0]!, parts[1]!] : ['public', parts[parts.length - 1]!];
};

/** `-- @renamed from=OLD` annotations (sqldef's convention) as `--rename` hints. */
export const renameHints = (desired: string): string[] => {
  const out: string[] = [];
  let table: [string, string] | null = null;
  for (const line of desired.split('\n')) {
    const mt = new RegExp(String.raw`CREATE\s+(?:UNLOGGED\s+)?TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?((?:${NAME})(?:\.(?:${NAME}))?)`, 'i').exec(line);
    if (mt) table = splitQualified(mt[1]!);
    const m = /@renamed\s+from=("(?:[^"]|"")*"|[\w$.]+)/.exec(line);
    if (!m) continue;
    const old = m[1]!.startsWith('"') ? unquote(m[1]!) : unquote(m[1]!.split('.').pop()!);
    const mi = new RegExp(String.raw`CREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(${NAME})`, 'i').exec(line);
    const mc = new RegExp(String.raw`CONSTRAINT\s+(${NAME})`, 'i').exec(line);
    if (mt) out.push(`${q(table![0])}.${q(old)}=${table![1]}`);
    else if (mi) out.push(`${q(table?.[0] ?? 'public')}.${q(old)}=${unquote(mi[1]!)}`);
    else if (mc && table) out.push(`${q(table[0])}.${q(table[1])}.${q(old)}=${unquote(mc[1]!)}`);
    else if (table) {
      const col = new RegExp(String.raw`^\s*(${NAME})`).exec(line);
      if (col) out.push(`${q(table[0])}.${q(table[1])}.${q(old)}=${unquote(col[1]!)}`);
    }
  }
  return out;
};

/** The corpus's loadable cases; none when the shared corpus is absent (`corpusAvailable`). */
export const loadCorpus = (name = 'sqldef.json'): CorpusCase[] => {
  if (sharedAcceptanceDir === null) return [];
  const raw = JSON.parse(readFileSync(path.join(sharedAcceptanceDir, 'corpus', name), 'utf8')) as RawCase[];
  const out: CorpusCase[] = [];
  for (const c of raw) {
    if (c.expected_error) continue;
    let current = c.current_sql ?? '';
    let desired = c.desired_sql ?? '';
    if (!c.loads) {
      if (!c.loads_after_fixup) continue;
      current = c.current_sql_fixed ?? current;
      desired = c.desired_sql_fixed ?? desired;
    }
    const explicit = (c.renames ?? []).map(([kind, schema, table, old, to]) =>
      kind === 'relation' ? `${q(schema)}.${q(old)}=${to}` : `${q(schema)}.${q(table!)}.${q(old)}=${to}`,
    );
    out.push({
      id: c.id,
      current,
      desired,
      setup: c.setup_sql ?? '',
      data: c.data_sql ?? null,
      roles: c.required_roles ?? [],
      renames: [...renameHints(desired), ...explicit],
    });
  }
  return out;
};
