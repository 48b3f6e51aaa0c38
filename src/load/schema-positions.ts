/**
 * Where each exported declaration of a schema file and its parts were written, from the file's syntax tree
 * (ts-morph), so every diagnostic can name `file:line:col`. Values are matched to syntax by export name, property
 * key (columns) and array position (extras, enum values); what cannot be matched falls back to the export.
 */
import { createRequire } from 'node:module';
import type { CallExpression, Node as NodeType, Project, SourceFile } from 'ts-morph';
import type { Site } from '../dsl/ddl/site.js';

// ts-morph (and the TypeScript compiler under it) takes ~0.5 s to load: only when a position is asked for.
type TsMorph = typeof import('ts-morph');
let tsMorph: TsMorph | undefined;
type Node = NodeType;
/** Set by `morph()`, which `exportSites` calls before any function here uses it. */
let Node: TsMorph['Node'];
const morph = (): TsMorph => {
  if (!tsMorph) {
    tsMorph = createRequire(import.meta.url)('ts-morph') as TsMorph;
    Node = tsMorph.Node;
  }
  return tsMorph;
};

export interface ExportSites {
  readonly site: Site;
  /** Keys as in `Declared.parts`. */
  readonly parts: ReadonlyMap<string, Site>;
}

let project: Project | undefined;

/** Unwraps `(x)`, `x as T`, `x satisfies T`, `x!`. */
const unwrap = (n: Node): Node => {
  let cur = n;
  for (;;) {
    if (Node.isParenthesizedExpression(cur) || Node.isAsExpression(cur) || Node.isSatisfiesExpression(cur) || Node.isNonNullExpression(cur))
      cur = cur.getExpression();
    else return cur;
  }
};

/** The call that declares the object: `table(…)` in `table(…)`, and the innermost call of a chain like `x(…).y(…)`. */
const declaringCall = (n: Node): Node | undefined => {
  const start = unwrap(n);
  if (!Node.isCallExpression(start)) return undefined;
  let cur: CallExpression = start;
  for (;;) {
    const callee: Node = cur.getExpression();
    if (!Node.isPropertyAccessExpression(callee)) return cur;
    const inner = unwrap(callee.getExpression());
    if (!Node.isCallExpression(inner)) return cur;
    cur = inner;
  }
};

/** The array an extras callback returns: `(t) => [...]` or `(t) => { return [...]; }`. */
const returnedArray = (n: Node): Node | undefined => {
  if (!Node.isArrowFunction(n) && !Node.isFunctionExpression(n)) return undefined;
  const body = n.getBody();
  if (!body) return undefined;
  if (!Node.isBlock(body)) {
    const e = unwrap(body);
    return Node.isArrayLiteralExpression(e) ? e : undefined;
  }
  for (const s of body.getStatements()) {
    if (!Node.isReturnStatement(s)) continue;
    const e = s.getExpression();
    if (e && Node.isArrayLiteralExpression(unwrap(e))) return unwrap(e);
  }
  return undefined;
};

/** The `renamedFrom` call or property inside `n` (not inside a nested function), if any. */
const renamedFromIn = (n: Node): Node | undefined =>
  n.getDescendants().find(
    (d) =>
      (Node.isIdentifier(d) && d.getText() === 'renamedFrom' && Node.isPropertyAccessExpression(d.getParent())) ||
      (Node.isPropertyAssignment(d) && d.getName() === 'renamedFrom'),
  );

const sitesOf = (sf: SourceFile, file: string, exported: Node, init: Node | undefined): ExportSites => {
  const at = (n: Node): Site => {
    const { line, column } = sf.getLineAndColumnAtPos(n.getStart());
    return { file, line, col: column };
  };
  const parts = new Map<string, Site>();
  const call = init ? declaringCall(init) : undefined;
  if (call && Node.isCallExpression(call)) {
    const args = call.getArguments();
    const first = args[0] ? unwrap(args[0]) : undefined;
    if (first && Node.isObjectLiteralExpression(first)) {
      const r = first.getProperty('renamedFrom');
      if (r) parts.set('renamedFrom', at(r));
    }
    const second = args[1] ? unwrap(args[1]) : undefined;
    if (second && Node.isObjectLiteralExpression(second)) {
      for (const p of second.getProperties()) {
        if (!Node.isPropertyAssignment(p) && !Node.isShorthandPropertyAssignment(p)) continue;
        const key = p.getName().replace(/^['"]|['"]$/g, '');
        parts.set(`column:${key}`, at(p));
        const r = renamedFromIn(p);
        if (r) parts.set(`column:${key}:renamedFrom`, at(r));
      }
      const options = args[2] ? unwrap(args[2]) : undefined;
      if (options && Node.isObjectLiteralExpression(options) && !parts.has('renamedFrom')) {
        const r = options.getProperty('renamedFrom');
        if (r) parts.set('renamedFrom', at(r));
      }
    }
    if (second && Node.isArrayLiteralExpression(second)) {
      second.getElements().forEach((e, i) => {
        parts.set(`value:${i}`, at(e));
        const r = renamedFromIn(e);
        if (r) parts.set(`value:${i}:renamedFrom`, at(r));
      });
    }
    const extras = args[2] ? returnedArray(unwrap(args[2])) : undefined;
    if (extras && Node.isArrayLiteralExpression(extras)) {
      extras.getElements().forEach((e, i) => {
        parts.set(`extra:${i}`, at(e));
        const r = renamedFromIn(e);
        if (r) parts.set(`extra:${i}:renamedFrom`, at(r));
      });
    }
  }
  return { site: at(exported), parts };
};

/**
 * The sites of the exports a file declares itself, by export name (`default` for `export default`). Re-exports
 * (`export { x } from './y.js'`, `export *`) are not included: the declaring file has them.
 * @param file the name diagnostics use for this file.
 */
export const exportSites = (text: string, file: string): Map<string, ExportSites> => {
  project ??= new (morph().Project)({ useInMemoryFileSystem: true, skipLoadingLibFiles: true });
  const sf = project.createSourceFile('/schema-file.ts', text, { overwrite: true });
  const out = new Map<string, ExportSites>();
  const locals = new Map<string, { name: Node; init: Node | undefined }>();
  for (const statement of sf.getVariableStatements()) {
    for (const d of statement.getDeclarations()) {
      const entry = { name: d.getNameNode(), init: d.getInitializer() };
      locals.set(d.getName(), entry);
      if (statement.isExported()) out.set(d.getName(), sitesOf(sf, file, entry.name, entry.init));
    }
  }
  for (const e of sf.getExportDeclarations()) {
    if (e.getModuleSpecifier()) continue;
    for (const spec of e.getNamedExports()) {
      const local = locals.get(spec.getName());
      const alias = spec.getAliasNode()?.getText() ?? spec.getName();
      if (local) out.set(alias, sitesOf(sf, file, local.name, local.init));
    }
  }
  for (const a of sf.getExportAssignments()) {
    if (!a.isExportEquals()) out.set('default', sitesOf(sf, file, a, a.getExpression()));
  }
  return out;
};
