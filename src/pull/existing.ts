/**
 * What a schema directory already declares, read with ts-morph: every `export const X = table(…)` (and the other
 * declaring calls), recognised by the SQL name its first argument gives, with the text ranges an edit replaces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Node, Project, type SourceFile } from 'ts-morph';
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

const stringOf = (n: Node | undefined): string | undefined =>
  n && (Node.isStringLiteral(n) || Node.isNoSubstitutionTemplateLiteral(n)) ? n.getLiteralValue() : undefined;

const propertyString = (o: Node, name: string): string | undefined => {
  if (!Node.isObjectLiteralExpression(o)) return undefined;
  const p = o.getProperty(name);
  return p && Node.isPropertyAssignment(p) ? stringOf(p.getInitializer()) : undefined;
};

interface Call {
  readonly word: string;
  readonly namespace: string | null;
  readonly name: string;
  readonly schemaOption: string | undefined;
}

const declaringCall = (init: Node): Call | undefined => {
  let n = init;
  while (Node.isParenthesizedExpression(n) || Node.isAsExpression(n) || Node.isSatisfiesExpression(n)) n = n.getExpression();
  if (!Node.isCallExpression(n)) return undefined;
  const callee = n.getExpression();
  let word: string;
  let namespace: string | null = null;
  if (Node.isIdentifier(callee)) word = callee.getText();
  else if (Node.isPropertyAccessExpression(callee) && Node.isIdentifier(callee.getExpression())) {
    word = callee.getName();
    namespace = callee.getExpression().getText();
  } else return undefined;
  if (!WORDS[word]) return undefined;
  const first = n.getArguments()[0];
  if (!first) return undefined;
  const name = stringOf(first) ?? propertyString(first, 'name');
  if (name === undefined) return undefined;
  const options = n.getArguments()[word === 'extension' ? 1 : 0];
  return { word, namespace, name, schemaOption: options ? propertyString(options, 'schema') : undefined };
};

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

/** Reads every schema file under `dir` (none when it does not exist). */
export const readExisting = (dir: string): ExistingFile[] => {
  const files = tsFiles(dir);
  if (files.length === 0) return [];
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { allowJs: false } });
  const parsed: { file: string; text: string; source: SourceFile }[] = files.map((f) => {
    const text = readFileSync(f, 'utf8');
    return { file: posix(relative(dir, f)), text, source: project.createSourceFile(`/${posix(relative(dir, f))}`, text) };
  });
  // Namespaces first: `app.table(…)` is in the schema `app` names.
  const namespaces = new Map<string, string>();
  for (const { source } of parsed)
    for (const v of source.getVariableDeclarations()) {
      const init = v.getInitializer();
      const c = init && declaringCall(init);
      if (c?.word === 'schema' && c.namespace === null) namespaces.set(v.getName(), c.name);
    }
  const ordinals = new Map<string, number>();
  return parsed.map(({ file, text, source }) => {
    const decls: ExistingDecl[] = [];
    const exportNames: string[] = [];
    for (const st of source.getVariableStatements()) {
      if (!st.isExported()) continue;
      for (const v of st.getDeclarations()) {
        exportNames.push(v.getName());
        const init = v.getInitializer();
        const c = init && declaringCall(init);
        if (!init || !c) continue;
        const schema = c.namespace !== null ? namespaces.get(c.namespace) : (c.schemaOption ?? 'public');
        if (schema === undefined) continue;
        let matchKey: string;
        switch (WORDS[c.word]) {
          case 'table':
            matchKey = K.tableKey(schema, c.name);
            break;
          case 'view':
            matchKey = K.viewKey(schema, c.name);
            break;
          case 'type':
            matchKey = K.typeKey(schema, c.name);
            break;
          case 'sequence':
            matchKey = K.sequenceKey(schema, c.name);
            break;
          case 'schema':
            matchKey = K.schemaKey(c.name);
            break;
          case 'extension':
            matchKey = K.extensionKey(c.name);
            break;
          case 'custom':
            matchKey = customKey(c.name);
            break;
          default: {
            const k = `${schema}.${c.name}`;
            const n = ordinals.get(k) ?? 0;
            ordinals.set(k, n + 1);
            matchKey = JSON.stringify(['function', schema, c.name, n]);
          }
        }
        if (st.getDeclarations().length !== 1) continue;
        decls.push({
          matchKey,
          file,
          exportName: v.getName(),
          statement: { start: st.getStart(true), end: st.getEnd() },
          initializer: { start: init.getStart(), end: init.getEnd(), text: init.getText() },
        });
      }
    }
    for (const f of source.getFunctions()) if (f.isExported() && f.getName()) exportNames.push(f.getName()!);
    const imports: ExistingImport[] = source.getImportDeclarations().map((d) => ({
      specifier: d.getModuleSpecifierValue(),
      names: d.getNamedImports().map((n) => (n.isTypeOnly() || d.isTypeOnly() ? `type ${n.getText().replace(/^type\s+/, '')}` : n.getText())),
      start: d.getStart(true),
      end: d.getEnd(),
    }));
    const statementCount = source.getStatements().filter((s) => !Node.isImportDeclaration(s)).length;
    return { file, text, decls, imports, exportNames, statementCount };
  });
};
