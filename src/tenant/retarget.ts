/**
 * Schema per tenant (docs/fleets.md): the SQL of a migration written for a template schema, run in a tenant
 * schema. The rewrite works on Postgres's own tokens (libpg-query): an identifier equal to the template schema
 * that qualifies a name (`tenant.t`, `"tenant"."t"`: followed by a `.`, not preceded by one) becomes the quoted
 * tenant schema; nothing else changes. It is trusted only when the rewritten SQL parses to the original tree with
 * exactly the template's schema names replaced (slots.ts); otherwise the file is refused.
 *
 * What a token rewrite cannot reach is refused before anything runs (`unsafeParts`): the template's name in a
 * string (a `'tenant.t'::regclass` cast, a function or DO body), statements about schemas, extensions and the
 * search path, unqualified relations (they resolve through the search path), and keikaku's own schemas.
 */
import { parse, scan } from 'libpg-query';
import { identifierOf, type Token } from './tokens.js';
import { UserError } from '../db/errors.js';
import { lineOfByte, lineStarts } from '../db/sql-text.js';
import { ident } from '../render/quote.js';
import { mapSchemaSlots, schemaNames } from './slots.js';

/** Why a file cannot be run in a tenant schema: `FILE:LINE: reason`. */
export interface RetargetRefusal {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}


type Stmt = { readonly stmt: Record<string, unknown>; readonly stmt_location?: number };

/** Schemas keikaku keeps per database: a tenant's migration may not use them. */
const OWN_SCHEMAS = new Set(['keikaku', 'keikaku_archive']);
/** Schemas a migration names that are never the template. */
const NOT_TEMPLATE = new Set(['pg_catalog', 'information_schema', ...OWN_SCHEMAS]);


const isIdentifierToken = (t: Token): boolean => identifierOf(t) !== undefined || /^u&"/i.test(t.text);

/** The file's tokens, comments left out (they are kept in the text as written). */
const tokensOf = async (sql: string): Promise<Token[]> =>
  ((await scan(sql)).tokens as Token[]).filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');

const statementsOf = async (sql: string, file: string): Promise<Stmt[]> => {
  try {
    return ((await parse(sql)) as { stmts?: Stmt[] }).stmts ?? [];
  } catch (error) {
    throw new UserError(`${file}: cannot parse it: ${error instanceof Error ? error.message : String(error)}`, 1, { cause: error });
  }
};

/** Calls `visit` on every object node of the tree (its fields), with the node kind when it is wrapped. */
const eachNode = (tree: unknown, visit: (fields: Record<string, unknown>, kind: string | undefined) => void, kind?: string): void => {
  if (Array.isArray(tree)) for (const x of tree) eachNode(x, visit);
  else if (tree !== null && typeof tree === 'object') {
    const o = tree as Record<string, unknown>;
    visit(o, kind);
    for (const [k, v] of Object.entries(o)) eachNode(v, visit, /^[A-Z]/.test(k) ? k : undefined);
  }
};

const SCHEMA_OBJECT = new Set(['OBJECT_SCHEMA', 'OBJECT_EXTENSION']);

/** Why one statement cannot run in a tenant schema, read from its tree; undefined when it can. */
const statementRefusal = (stmt: Record<string, unknown>): string | undefined => {
  const [kind, fields] = Object.entries(stmt)[0] as [string, Record<string, unknown>];
  switch (kind) {
    case 'CreateExtensionStmt':
    case 'AlterExtensionStmt':
    case 'AlterExtensionContentsStmt':
      return 'an extension exists once per database, not once per schema';
    case 'CreateSchemaStmt':
      return 'CREATE SCHEMA: tenant schemas are made outside the migrations (each tenant is an existing schema)';
    case 'AlterObjectSchemaStmt':
      return 'SET SCHEMA moves an object to a schema named in the migration, the same for every tenant';
    case 'AlterDefaultPrivilegesStmt':
      return 'ALTER DEFAULT PRIVILEGES applies to schemas named in it, not to the tenant schema';
    case 'ImportForeignSchemaStmt':
      return 'IMPORT FOREIGN SCHEMA names its schemas in the statement';
    case 'VariableSetStmt':
      if (fields.name === 'search_path') return 'SET search_path would change where every later name resolves, the same for every tenant';
      return undefined;
    case 'GrantStmt':
      if (fields.objtype === 'OBJECT_SCHEMA' || fields.targtype === 'ACL_TARGET_ALL_IN_SCHEMA') return 'GRANT/REVOKE on a schema (or ALL … IN SCHEMA) names the schema itself';
      break;
    case 'DropStmt':
      if (SCHEMA_OBJECT.has(fields.removeType as string)) return 'DROP SCHEMA / EXTENSION acts on the database, not in the tenant schema';
      break;
    case 'RenameStmt':
      if (SCHEMA_OBJECT.has(fields.renameType as string)) return 'renaming a schema or extension acts on the database, not in the tenant schema';
      break;
    case 'AlterOwnerStmt':
    case 'CommentStmt':
    case 'SecLabelStmt':
      if (SCHEMA_OBJECT.has((fields.objectType ?? fields.objtype) as string)) return 'it is about a schema or an extension, not an object in the tenant schema';
      break;
  }
  let why: string | undefined;
  eachNode(stmt, (o, k) => {
    if (why) return;
    // A function's or role's `SET search_path` too (a VariableSetStmt, wrapped or not, inside the statement).
    if (o.name === 'search_path' && typeof o.kind === 'string' && o.kind.startsWith('VAR_'))
      why = 'it sets search_path, the same for every tenant (a function run with it would read the template schema)';
    else if (typeof o.relname === 'string' && 'relpersistence' in o && o.schemaname === undefined)
      why = `${JSON.stringify(o.relname)} is not schema-qualified: it would resolve through the search path, not to the tenant schema`;
    else if (k === 'FuncCall' && Array.isArray(o.funcname)) {
      const name = (o.funcname.at(-1) as { String?: { sval?: string } } | undefined)?.String?.sval;
      if (name === 'set_config') why = 'set_config() can change the search path, the same for every tenant';
    }
  });
  if (why) return why;
  const own = schemaNames(stmt).find((s) => OWN_SCHEMAS.has(s));
  if (own) return `it uses schema ${own}, which keikaku keeps once per database (a down that archives rows, a backfill's progress)`;
  return undefined;
};

/** The line of a byte offset; with `tokens`, of the first token at or after it (a statement's location includes the blank lines and comments before it). */
const lineAt = (sql: string, tokens: readonly Token[] = []) => {
  const starts = lineStarts(Buffer.from(sql, 'utf8'));
  return (byte: number) => lineOfByte(starts, tokens.find((t) => t.start >= byte)?.start ?? byte);
};

/**
 * Whether a text holds `name` as a word of its own, in any case: not inside a longer identifier (`'publication'`
 * does not name `public`), but `'public.t'`, `"Public".t` and a body's `FROM public.t` do.
 */
const namesAsWord = (name: string): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}_$])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}_$])`, 'iu');

/**
 * What in one phase file cannot be run in a tenant schema (see the module comment), each with its line. Depends
 * on the template only, so it is checked once for every tenant, before anything runs.
 */
export const unsafeParts = async (sql: string, file: string, template: string): Promise<RetargetRefusal[]> => {
  const tokens = await tokensOf(sql);
  const line = lineAt(sql, tokens);
  const out: RetargetRefusal[] = [];
  const named = namesAsWord(template);
  for (const t of tokens) {
    if (isIdentifierToken(t) || !named.test(t.text)) continue;
    out.push({
      file,
      line: line(t.start),
      reason: `a string holds the template schema's name ${JSON.stringify(template)} (${JSON.stringify(t.text.length > 60 ? `${t.text.slice(0, 57)}...` : t.text)}): a cast such as '${template}.t'::regclass or a function or DO body is text to the server, so it cannot be retargeted safely`,
    });
  }
  for (const s of await statementsOf(sql, file)) {
    const why = statementRefusal(s.stmt);
    if (why) out.push({ file, line: line(s.stmt_location ?? 0), reason: why });
  }
  return out.sort((a, b) => a.line - b.line);
};

/** The schemas the file's statements name (see slots.ts), without the system's and keikaku's own. */
export const schemasNamed = async (sql: string, file: string): Promise<string[]> =>
  [...new Set((await statementsOf(sql, file)).flatMap((s) => schemaNames(s.stmt)))].filter((s) => !NOT_TEMPLATE.has(s) && !s.startsWith('pg_'));

/**
 * `sql` with every identifier that qualifies a name and equals `template` replaced by `target`, quoted; checked by
 * parsing both (see the module comment). Call `unsafeParts` first: this does not repeat those checks.
 * @throws UserError naming the file and line when the rewrite does not give the original tree so mapped.
 */
export const retargetSql = async (sql: string, file: string, template: string, target: string): Promise<string> => {
  const bytes = Buffer.from(sql, 'utf8');
  const tokens = await tokensOf(sql);
  const parts: Buffer[] = [];
  let at = 0;
  tokens.forEach((t, i) => {
    if (identifierOf(t) !== template || tokens[i + 1]?.text !== '.' || tokens[i - 1]?.text === '.') return;
    parts.push(bytes.subarray(at, t.start), Buffer.from(ident(target), 'utf8'));
    at = t.end;
  });
  parts.push(bytes.subarray(at));
  const out = Buffer.concat(parts).toString('utf8');
  const before = await statementsOf(sql, file);
  let after: Stmt[];
  try {
    after = await statementsOf(out, file);
  } catch (error) {
    throw new UserError(`${file}: cannot run it in schema ${JSON.stringify(target)}: the rewritten SQL does not parse`, 1, { cause: error });
  }
  const line = lineAt(sql, tokens);
  const expected = (s: Stmt) => JSON.stringify(mapSchemaSlots(s.stmt, (n) => (n === template ? target : n)));
  const got = (s: Stmt | undefined) => JSON.stringify(s === undefined ? null : mapSchemaSlots(s.stmt, (n) => n));
  const bad = before.findIndex((s, i) => expected(s) !== got(after[i]));
  if (bad >= 0 || after.length !== before.length) {
    const where = line(before[bad >= 0 ? bad : before.length - 1]?.stmt_location ?? 0);
    throw new UserError(
      `${file}:${where}: cannot run it in schema ${JSON.stringify(target)}: the name ${JSON.stringify(template)} is used here as something other than ` +
        'a schema (an alias or table qualifying a column, a catalog-qualified name) or in a place keikaku does not rewrite; qualify names as schema.name',
    );
  }
  return out;
};
