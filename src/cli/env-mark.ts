/**
 * `keikaku env mark production`, `env unmark production`, `env show`: the production mark kept in the database
 * (keikaku.environment_mark), which guards every route to it, whatever URL text reaches it.
 */
import type { ResolvedConfig } from '../config/index.js';
import { connectPg } from '../db/pg.js';
import { localIdentity } from '../apply/journal.js';
import { readMarks, removeMark, serverIdentity, writeMark, type MarkKind } from '../apply/mark.js';
import { confirmProduction, resolveTarget, withDatabaseMark, type TargetArgs } from './apply.js';
import type { CommandOutput } from './options.js';

export interface MarkArgs extends TargetArgs {
  readonly kind: MarkKind;
  readonly yes: boolean;
  readonly format: 'text' | 'json';
}

const json = (value: unknown): CommandOutput => ({ stdout: `${JSON.stringify(value, null, 2)}\n`, exitCode: 0 });

export const runEnvMark = async (config: ResolvedConfig, a: MarkArgs): Promise<CommandOutput> => {
  const target = resolveTarget(config, a);
  const db = await connectPg(target.url);
  try {
    await writeMark(db, a.kind, localIdentity());
    const id = await serverIdentity(db);
    if (a.format === 'json') return json({ target: target.label, marked: a.kind, ...id });
    return {
      stdout:
        `marked ${target.label} as ${a.kind}: apply, down, pull (baseline) and archive prune now need --yes or its name typed, ` +
        `whichever host name, socket or role reaches it\n`,
      exitCode: 0,
    };
  } finally {
    await db.close();
  }
};

export const runEnvUnmark = async (config: ResolvedConfig, a: MarkArgs): Promise<CommandOutput> => {
  const given = resolveTarget(config, a);
  const db = await connectPg(given.url);
  try {
    // Removing the mark opens the guard: it is guarded itself.
    const target = await withDatabaseMark(given, db);
    await confirmProduction(target, a.yes, 'remove the production mark of');
    const removed = await removeMark(db, a.kind);
    if (a.format === 'json') return json({ target: target.label, unmarked: a.kind, removed });
    return { stdout: removed ? `removed the ${a.kind} mark of ${target.label}\n` : `${target.label} had no ${a.kind} mark; nothing was changed\n`, exitCode: 0 };
  } finally {
    await db.close();
  }
};

export const runEnvShow = async (config: ResolvedConfig, a: Omit<MarkArgs, 'kind' | 'yes'>): Promise<CommandOutput> => {
  const given = resolveTarget(config, a);
  const db = await connectPg(given.url);
  try {
    const [marks, id, target] = [await readMarks(db), await serverIdentity(db), await withDatabaseMark(given, db)];
    // A mark written on another cluster arrived with a copy of the database (pg_dump, a restored backup).
    const copied = marks.filter((m) => m.systemIdentifier !== null && id.systemIdentifier !== null && m.systemIdentifier !== id.systemIdentifier);
    if (a.format === 'json') return json({ target: target.label, production: target.production, productionBy: target.productionBy ?? null, server: id, marks });
    const lines = [`target: ${target.label} (${target.source})`, `server: system identifier ${id.systemIdentifier ?? 'not readable'}, database ${id.database}`];
    if (marks.length === 0) lines.push('marks: none');
    for (const m of marks) lines.push(`mark: ${m.kind}, by ${m.markedBy} at ${m.markedAt}${copied.includes(m) ? ' (written on another server: this database is a copy; `keikaku env unmark production --yes` if the copy is not production)' : ''}`);
    lines.push(target.production ? `guarded: yes (${target.productionBy === 'database' ? 'the mark' : target.productionBy === 'config' ? 'keikaku.config.ts' : '--production'})` : 'guarded: no');
    return { stdout: `${lines.join('\n')}\n`, exitCode: 0 };
  } finally {
    await db.close();
  }
};
