/**
 * What a schema directory already declares, read with ts-morph's TypeScript parser: every `export const X = table(…)` (and the other
 * declaring calls), recognised by the SQL name its first argument gives, with the text ranges an edit replaces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { ts as TS } from 'ts-morph';

// The TypeScript parser (ts-morph's) is loaded only when there are files to read: it costs half a second.
let ts: typeof TS;
import * as K from '../model/keys.js';
import { customKey } from './context.js';

export interface ExistingDecl {
  readonly matchKey: string;
  readonly file: string;
  readonly exportName: string;
  /** The whole statement, with its leading JSDoc (what removing it takes out). */
  readonly statement: { readonly start: number; readonly end: number };
  readonly initializer: { readonly start: number; readonly end: number; readonly text: string };
}

export interface ExistingImport {
  readonly specifier: string;
  readonly names: readonly string[];
  /** Only named imports (no default or namespace import): pull may rewrite it. */
  readonly plain: boolean;
  readonly start: number;
  readonly end: number;
}

export interface ExistingFile {
  /** Relative to the schema directory, posix. */
  readonly file: string;
  readonly text: string;
  readonly decls: readonly ExistingDecl[];
  readonly imports: readonly ExistingImport[];
  /** Every exported name (recognised or not), so new exports never clash. */
  readonly exportNames: readonly string[];
  /** Top-level statements other than imports. */
  readonly statementCount: number;
}

const WORDS: Readonly<Record<string, string>> = {
  table: 'table',
  view: 'view',
  materializedView: 'view',
  enumType: 'type',
  domain: 'type',
  compositeType: 'type',
  sequence: 'sequence',
  fn: 'function',
  procedure: 'function',
  schema: 'schema',
  extension: 'extension',
  customType: 'custom',
};

const stringOf = (n: TS.Node | undefined): string | undefined =>
  n && (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) ? n.text : undefined;

const propertyString = (o: TS.Node, name: string): string | undefined => {
  if (!ts.isObjectLiteralExpression(o)) return undefined;
  for (const p of o.properties)
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return stringOf(p.initializer);
  return undefined;
};

interface Call {
  readonly word: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly schemaOption: string | undefined;
}

const declaringCall = (init: TS.Expression): Call | undefined => {
  let n: TS.Expression = init;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n)) n = n.expression;
  if (!ts.isCallExpression(n)) return undefined;
  const callee = n.expression;
  let word: string;
  let namespace: string | null = null;
  if (ts.isIdentifier(callee)) word = callee.text;
  else if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && ts.isIdentifier(callee.name)) {
    word = callee.name.text;
    namespace = callee.expression.text;
  } else return undefined;
  if (!WORDS[word]) return undefined;
  const first = n.arguments[0];
  if (!first) return undefined;
  const name = stringOf(first) ?? propertyString(first, 'name');
  if (name === undefined) return undefined;
  const options = n.arguments[word === 'extension' ? 1 : 0];
  return { word, namespace, name, schemaOption: options ? propertyString(options, 'schema') : undefined };
};

const isExported = (st: TS.Statement): boolean =>
  (ts.canHaveModifiers(st) ? ts.getModifiers(st) : undefined)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) === true;

const tsFiles = (dir: string): string[] => {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mts|cts)$/.test(e.name) && !/\.d\.[mc]?ts$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
};

const posix = (p: string) => p.split(sep).join('/');

/**
 * Reads every schema file under `dir` (none when it does not exist), with the TypeScript parser ts-morph bundles:
 * only top-level statements matter, so the syntax tree is read directly (no type checking, no wrappers).
 */
export const readExisting = async (dir: string): Promise<ExistingFile[]> => {
  const files = tsFiles(dir);
  if (files.length === 0) return [];
  ts ??= (await import('ts-morph')).ts;
  const parsed = files.map((f) => {
    const text = readFileSync(f, 'utf8');
    const file = posix(relative(dir, f));
    return { file, text, source: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS) };
  });
  // Namespaces first: `app.table(…)` is in the schema `app` names.
  const namespaces = new Map<string, string>();
  for (const { source } of parsed)
    for (const st of source.statements) {
      if (!ts.isVariableStatement(st)) continue;
      for (const v of st.declarationList.declarations) {
        const c = v.initializer && declaringCall(v.initializer);
        if (c?.word === 'schema' && c.namespace === null && ts.isIdentifier(v.name)) namespaces.set(v.name.text, c.name);
      }
    }
  const ordinals = new Map<string, number>();
  return parsed.map(({ file, text, source }) => {
    const decls: ExistingDecl[] = [];
    const exportNames: string[] = [];
    const imports: ExistingImport[] = [];
    let statementCount = 0;
    for (const st of source.statements) {
      if (ts.isImportDeclaration(st)) {
        const clause = st.importClause;
        const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings : undefined;
        imports.push({
          specifier: ts.isStringLiteral(st.moduleSpecifier) ? st.moduleSpecifier.text : '',
          names: (named?.elements ?? []).map((e) => {
            const t = e.getText(source);
            return e.isTypeOnly || clause?.isTypeOnly ? `type ${t.replace(/^type\s+/, '')}` : t;
          }),
          plain: clause !== undefined && clause.name === undefined && (clause.namedBindings === undefined || named !== undefined),
          start: st.getStart(source),
          end: st.getEnd(),
        });
        continue;
      }
      statementCount++;
      if (ts.isFunctionDeclaration(st) && isExported(st) && st.name) exportNames.push(st.name.text);
      if (!ts.isVariableStatement(st) || !isExported(st)) continue;
      const declarations = st.declarationList.declarations;
      for (const v of declarations) {
        if (!ts.isIdentifier(v.name)) continue;
        exportNames.push(v.name.text);
        const init = v.initializer;
        const c = init && declaringCall(init);
        if (!init || !c) continue;
        const schema = c.namespace !== null ? namespaces.get(c.namespace) : (c.schemaOption ?? 'public');
        if (schema === undefined) continue;
        const matchKey = keyOf(c, schema, ordinals);
        if (declarations.length !== 1) continue;
        const jsDoc = (st as { jsDoc?: readonly TS.JSDoc[] }).jsDoc;
        const initStart = init.getStart(source);
        decls.push({
          matchKey,
          file,
          exportName: v.name.text,
          statement: { start: jsDoc?.length ? jsDoc[0]!.getStart(source) : st.getStart(source), end: st.getEnd() },
          initializer: { start: initStart, end: init.getEnd(), text: text.slice(initStart, init.getEnd()) },
        });
      }
    }
    return { file, text, decls, imports, exportNames, statementCount };
  });
};

const keyOf = (c: Call, schema: string, ordinals: Map<string, number>): string => {
  switch (WORDS[c.word]) {
    case 'table':
      return K.tableKey(schema, c.name);
    case 'view':
      return K.viewKey(schema, c.name);
    case 'type':
      return K.typeKey(schema, c.name);
    case 'sequence':
      return K.sequenceKey(schema, c.name);
    case 'schema':
      return K.schemaKey(c.name);
    case 'extension':
      return K.extensionKey(c.name);
    case 'custom':
      return customKey(c.name);
    default: {
      const k = `${schema}.${c.name}`;
      const n = ordinals.get(k) ?? 0;
      ordinals.set(k, n + 1);
      return JSON.stringify(['function', schema, c.name, n]);
    }
  }
};
