/**
 * Names in pulled code: property keys (camelCase of the SQL name), export names (unique over the project, never a
 * reserved word or a name the file imports from keikaku) and file names.
 */
import { snakeCase } from '../dsl/brand.js';
import { isIdentifier } from './code.js';

/** `office_id` → `officeId`, `User Name` → `userName`, `2fa` → `_2fa`. */
export const camelCase = (sqlName: string): string => {
  const parts = sqlName.split(/[^A-Za-z0-9]+/).filter(Boolean);
  if (parts.length === 0) return '_';
  const [first, ...rest] = parts;
  const head = first!.length > 1 && first === first!.toUpperCase() ? first!.toLowerCase() : first!.charAt(0).toLowerCase() + first!.slice(1);
  const out = head + rest.map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');
  return /^[0-9]/.test(out) ? `_${out}` : out;
};

/**
 * Whether a builder can leave the SQL name out: only when it is the key itself. Otherwise it is written (`officeId:
 * uuid('office_id')`), so the database's name is in the file, not derived from the key by a convention.
 */
export const derivesName = (key: string, sqlName: string): boolean => key === sqlName && snakeCase(key) === sqlName;

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'implements interface package private protected public await arguments eval undefined NaN Infinity'
  ).split(' '),
);

/** Every name a pulled file may import from keikaku: an export must not shadow one. */
export const DSL_NAMES = new Set(
  (
    'bigint bigserial bit boolean box bytea char check cidr circle columnRef compositeType customType date daterange decimal ' +
    'domain doublePrecision enumType exclude expression extension fn foreignKey grant index inet int4range int8range integer ' +
    'interval json jsonb line lseg macaddr macaddr8 materializedView money nextval numeric numrange oid path point policy ' +
    'polygon primaryKey procedure real schema sequence serial smallint smallserial sql table text time timestamp timestamptz ' +
    'trigger tsquery tsrange tstzrange tsvector unique uniqueIndex uuid value varbit varchar view xml ColumnRef'
  ).split(' '),
);

/** Hands out export names unique over the project; names already taken (existing exports) are reserved first. */
export class ExportNames {
  private readonly taken = new Set<string>();
  reserve(name: string): void {
    this.taken.add(name);
  }
  /** The first free name of `candidates` (each made a valid identifier), else the last with a number. */
  claim(candidates: readonly string[]): string {
    const valid = candidates.map((c) => (isIdentifier(c) ? c : camelCase(c)));
    for (const c of valid) {
      if (!this.taken.has(c) && !RESERVED.has(c) && !DSL_NAMES.has(c)) {
        this.taken.add(c);
        return c;
      }
    }
    const base = valid.at(-1)!;
    for (let i = 2; ; i++) {
      if (!this.taken.has(`${base}${i}`)) {
        this.taken.add(`${base}${i}`);
        return `${base}${i}`;
      }
    }
  }
}

/** A file name for an object: its SQL name made safe for every file system (lower case, `[a-z0-9_-]`). */
export const fileStem = (sqlName: string): string =>
  sqlName
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '_')
    .replace(/^_+|_+$/g, '') || 'unnamed';
