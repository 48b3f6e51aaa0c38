/**
 * Declarations → one DDL script that creates them in an empty database: by stage (`PHASES`), and within a stage
 * dependencies first (a view after the views it reads, a partition after its parent), else in declaration order.
 */
import type { Asked, RenderContext as Ctx } from './context.js';
import { RenderContext } from './context.js';
import type { Diagnostic } from './diagnostic.js';
import {
  renderComposite,
  renderDomain,
  renderEnum,
  renderExtension,
  renderRoutine,
  renderSchema,
  renderSequence,
  renderView,
} from './objects.js';
import type { Declared } from './site.js';
import { type DdlStatement, type Emitted, PHASES, unitKey } from './statement.js';
import { renderTable } from './table.js';

/** The kinds of value a schema file exports (parts of tables are declared inside their table). */
export type DeclaredKind = 'schema' | 'extension' | 'enum' | 'domain' | 'composite' | 'sequence' | 'table' | 'view' | 'function';

const RENDER: Record<DeclaredKind, (d: Declared, ctx: Ctx) => Emitted[]> = {
  schema: renderSchema,
  extension: renderExtension,
  enum: renderEnum,
  domain: renderDomain,
  composite: renderComposite,
  sequence: renderSequence,
  table: renderTable,
  view: renderView,
  function: renderRoutine,
};

export const isDeclaredKind = (kind: string): kind is DeclaredKind => Object.hasOwn(RENDER, kind);

export interface DdlScript {
  readonly statements: readonly DdlStatement[];
  /** Declarations that cannot be rendered (missing references, bad values), each at its site. */
  readonly problems: readonly Diagnostic[];
}

/** Orders statements of one stage so that each comes after those creating what it needs (stable otherwise). */
const topological = (items: readonly Emitted[]): Emitted[] => {
  const creator = new Map<object, Emitted>();
  for (const e of items) if (e.creates) creator.set(e.creates, e);
  const done = new Set<Emitted>();
  const visiting = new Set<Emitted>();
  const out: Emitted[] = [];
  const visit = (e: Emitted) => {
    if (done.has(e) || visiting.has(e)) return; // a cycle is left for Postgres to report
    visiting.add(e);
    for (const n of e.needs ?? []) {
      const c = creator.get(n);
      if (c && c !== e) visit(c);
    }
    visiting.delete(e);
    done.add(e);
    out.push(e);
  };
  items.forEach(visit);
  return out;
};

interface Rendered {
  readonly exportName: string;
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly asked: Asked;
  readonly emitted: readonly Emitted[];
}

/**
 * Each declaration's statements, by its value, in a process that renders the same declarations again and again
 * (`memoizeRenders`: the daemon, where a save evaluates again only the files that changed and their importers, and
 * every other file's values stay the same objects). A render is taken again only for the same value exported under
 * the same name at the same place, when every question it asked of the context gets the same answer; one that
 * reported a problem is not kept.
 */
let rendered: WeakMap<object, Rendered> | null = null;

export const memoizeRenders = (on: boolean): void => {
  rendered = on ? (rendered ?? new WeakMap()) : null;
};

/** `f` rendering as if there were no memo, which stays as it was (tests compare the two). */
export const withoutRenderMemo = <T>(f: () => T): T => {
  const kept = rendered;
  rendered = null;
  try {
    return f();
  } finally {
    rendered = kept;
  }
};

const renderOne = (d: Declared, kind: DeclaredKind, ctx: RenderContext): readonly Emitted[] => {
  if (!rendered) return RENDER[kind](d, ctx);
  const { site } = d;
  const last = rendered.get(d.data);
  if (last && last.exportName === d.exportName && last.file === site.file && last.line === site.line && last.col === site.col && ctx.sameAnswers(last.asked))
    return last.emitted;
  const problems = ctx.problems.length;
  const asked: Asked = [];
  ctx.asked = asked;
  let emitted: readonly Emitted[];
  try {
    emitted = RENDER[kind](d, ctx);
  } finally {
    ctx.asked = null;
  }
  if (ctx.problems.length === problems) rendered.set(d.data, { exportName: d.exportName, file: site.file, line: site.line, col: site.col, asked, emitted });
  else rendered.delete(d.data);
  return emitted;
};

export const renderDeclared = (declared: readonly Declared[]): DdlScript => {
  const ctx = new RenderContext(new Set(declared.map((d) => d.data)));
  const emitted = declared.flatMap((d) => {
    if (!isDeclaredKind(d.data.kind)) return [];
    const unit = unitKey(d.data);
    return renderOne(d, d.data.kind, ctx).map((e) => ({ ...e, statement: { ...e.statement, unit, phase: e.phase } }));
  });
  const statements = PHASES.flatMap((phase) => topological(emitted.filter((e) => e.phase === phase)).map((e) => e.statement));
  return { statements, problems: ctx.problems };
};

/** The script as text, one statement per paragraph. */
export { scriptText } from './statement.js';
