/**
 * Schema per tenant, `check --schemas` (docs/fleets.md): one schema of a model, its name mapped to another's, so
 * the template schema the migrations build can be compared with a tenant schema at the model level.
 *
 * Structured names (every object's `schema`, a sequence's owner, an identity's sequence, a foreign key's target,
 * a partition's parent, inheritance parents, dependency keys) are mapped as names. SQL text as PostgreSQL prints it
 * (types, defaults, definitions, policy expressions; introspection prints every user name qualified) is mapped on
 * Postgres's own tokens, as retarget.ts rewrites a migration: an identifier equal to the schema that qualifies a
 * name (followed by `.`, not preceded by one) becomes the other schema, quoted as PostgreSQL prints it; and the text of a string cast to
 * `regclass`, `regtype`, `regproc` or `regprocedure` (`nextval('tenant.s'::regclass)`) is mapped the same way.
 * No other string is touched (a function body is text to the server): a name there that differs is drift.
 */
import { identifierOf, type Token } from './tokens.js';
import { scan } from 'libpg-query';
import { parseKey, key } from '../model/keys.js';
import type { Schema } from '../model/schema.js';
import { literal, printedIdent } from '../render/quote.js';



const REG_CASTS = new Set(['regclass', 'regtype', 'regproc', 'regprocedure']);

/** The content of a standard string literal token (`'a''b'` → `a'b`), undefined for any other form (E'', $$). */
const stringOf = (t: Token): string | undefined => (t.tokenName === 'SCONST' && /^'[\s\S]*'$/.test(t.text) ? t.text.slice(1, -1).replace(/''/g, "'") : undefined);

/** Whether `tokens[i + 1…]` is `::regclass` (or `::pg_catalog.regclass`, and the other reg types above). */
const castToReg = (tokens: readonly Token[], i: number): boolean => {
  if (tokens[i + 1]?.text !== '::') return false;
  let j = i + 2;
  if (tokens[j] && identifierOf(tokens[j]!) === 'pg_catalog' && tokens[j + 1]?.text === '.') j += 2;
  const t = tokens[j];
  return t !== undefined && REG_CASTS.has(identifierOf(t) ?? '');
};

/** The longest part of a name without quotes: any printing of the name (quoted, in a literal) holds it, lowercased. */
const probeOf = (name: string): string =>
  name
    .toLowerCase()
    .split(/["']/)
    .reduce((a, b) => (b.length > a.length ? b : a), '');

/** `text` with every identifier that qualifies a name and equals `from` replaced by `to` (see the module comment). */
export const mapSchemaText = async (text: string, from: string, to: string, serverVersion?: number): Promise<string> => {
  if (from === to || !text.toLowerCase().includes(probeOf(from))) return text;
  const bytes = Buffer.from(text, 'utf8');
  const tokens = ((await scan(text)).tokens as Token[]).filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  const parts: Buffer[] = [];
  let at = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    let out: string | undefined;
    if (identifierOf(t) === from && tokens[i + 1]?.text === '.' && tokens[i - 1]?.text !== '.') out = printedIdent(to, serverVersion);
    else if (castToReg(tokens, i)) {
      const inner = stringOf(t);
      if (inner !== undefined) {
        const mapped = await mapSchemaText(inner, from, to, serverVersion);
        if (mapped !== inner) out = literal(mapped);
      }
    }
    if (out === undefined) continue;
    parts.push(bytes.subarray(at, t.start), Buffer.from(out, 'utf8'));
    at = t.end;
  }
  if (parts.length === 0) return text;
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts).toString('utf8');
};

/** Fields holding a schema name. */
const NAME_FIELDS = new Set(['schema', 'sequenceSchema', 'parentSchema']);
/** Fields holding SQL text as PostgreSQL prints it (a constraint's `type` is a word, which maps to itself). */
const TEXT_FIELDS = new Set(['type', 'default', 'generated', 'collation', 'definition', 'baseType', 'identityArgs', 'args', 'returns', 'using', 'withCheck', 'partitionBy', 'bound']);

/** A copy of a model object with its names and texts mapped (comments, grants, options and other names as they are). */
const mapObject = async (value: unknown, from: string, to: string, serverVersion: number, field?: string): Promise<unknown> => {
  if (typeof value === 'string') {
    if (field !== undefined && NAME_FIELDS.has(field)) return value === from ? to : value;
    if (field !== undefined && TEXT_FIELDS.has(field)) return mapSchemaText(value, from, to, serverVersion);
    return value;
  }
  // No list of strings holds names or SQL text (labels, column names, options, roles).
  if (Array.isArray(value)) return Promise.all(value.map((v) => mapObject(v, from, to, serverVersion)));
  if (value !== null && typeof value === 'object') {
    // Not into comments and grants: `comment` is text a person wrote, grants name roles.
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]): Promise<[string, unknown]> => [k, k === 'comment' || k === 'grants' || k === 'columnComments' ? v : await mapObject(v, from, to, serverVersion, k)]),
    );
    return Object.fromEntries(entries);
  }
  return value;
};

/** A dependency key mapped, undefined when it is not of an object of schema `from` (kept objects only). */
const mapKey = async (k: string, from: string, to: string, serverVersion: number): Promise<string | undefined> => {
  const { kind, parts } = parseKey(k);
  if (kind === 'schema' || kind === 'extension' || parts[0] !== from) return undefined;
  const rest = kind === 'function' && parts[2] !== undefined ? [parts[1]!, await mapSchemaText(parts[2], from, to, serverVersion)] : parts.slice(1);
  return key(kind, to, ...rest);
};

/**
 * The objects of schema `from` only, named as if they were in `to` (see the module comment). Left out: the schema
 * itself (a tenant schema is made outside the migrations, as is the template) and extensions (one per database).
 */
export const schemaAs = async (s: Schema, from: string, to: string): Promise<Schema> => {
  const only = async <T extends { readonly schema: string }>(xs: readonly T[]): Promise<T[]> =>
    Promise.all(xs.filter((x) => x.schema === from).map(async (x) => (from === to ? x : ((await mapObject(x, from, to, s.serverVersion)) as T))));
  const dependencies = (
    await Promise.all(
      s.dependencies.map(async (d) => {
        const [a, b] = await Promise.all([mapKey(d.from, from, to, s.serverVersion), mapKey(d.to, from, to, s.serverVersion)]);
        return a === undefined || b === undefined ? [] : [{ from: a, to: b }];
      }),
    )
  ).flat();
  return {
    schemas: [],
    extensions: [],
    enums: await only(s.enums),
    domains: await only(s.domains),
    composites: await only(s.composites),
    sequences: await only(s.sequences),
    tables: await only(s.tables),
    indexes: await only(s.indexes),
    views: await only(s.views),
    functions: await only(s.functions),
    triggers: await only(s.triggers),
    policies: await only(s.policies),
    dependencies,
    serverVersion: s.serverVersion,
  };
};
