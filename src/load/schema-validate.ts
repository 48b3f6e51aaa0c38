/**
 * Checks of the declarations as a whole that rendering one object cannot make: names claimed twice, names
 * PostgreSQL would cut, schemas used but not declared.
 */
import { dataOf } from '../dsl/brand.js';
import type { ConstraintData } from '../dsl/constraints.js';
import { DIAGNOSTIC_CODES as C, type Diagnostic, diagnostic } from '../dsl/ddl/diagnostic.js';
import { routineSignature } from '../dsl/ddl/objects.js';
import { type Declared, formatSite, partSite, type Site } from '../dsl/ddl/site.js';
import type { EnumData } from '../dsl/enum.js';
import type { IndexData } from '../dsl/indexes.js';
import type { PolicyData } from '../dsl/policy.js';
import type { RoutineData } from '../dsl/routine.js';
import type { TableData } from '../dsl/table-data.js';
import type { TriggerData } from '../dsl/trigger.js';

/** PostgreSQL keeps NAMEDATALEN - 1 = 63 bytes of a name and silently drops the rest. */
const MAX_NAME_BYTES = 63;

type Named = { readonly kind: string; readonly schema?: string; readonly name?: string };

export const validateDeclared = (declared: readonly Declared[]): Diagnostic[] => {
  const problems: Diagnostic[] = [];
  const claimed = new Map<string, { site: Site; what: string }>();
  /** Records `key` as claimed by `what`; a second claim is a duplicate. */
  const claim = (key: string, what: string, site: Site) => {
    const first = claimed.get(key);
    if (first) {
      const same = first.what === what ? `${what} is` : `${what} has the same name as ${first.what},`;
      problems.push(diagnostic(C.duplicateName, site, `${same} declared twice (first at ${formatSite(first.site)}); rename one of them`));
    } else claimed.set(key, { site, what });
  };
  const checkLength = (name: string, what: string, site: Site) => {
    if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES)
      problems.push(diagnostic(C.nameTooLong, site, `${what}: the name is ${Buffer.byteLength(name, 'utf8')} bytes; PostgreSQL keeps ${MAX_NAME_BYTES}: shorten it`));
  };

  const schemas = new Set(['public']);
  for (const d of declared) if (d.data.kind === 'schema') schemas.add((d.data as Named).name!);

  for (const [i, d] of declared.entries()) {
    const o = d.data as Named;
    const name = o.name ?? '';
    const schema = o.schema ?? '';
    const what = `${o.kind === 'function' && (d.data as RoutineData).procedure ? 'procedure' : o.kind} ${schema ? `${schema}.` : ''}${name}`;
    checkLength(name, what, d.site);
    if (schema && !schemas.has(schema) && o.kind !== 'extension')
      problems.push(diagnostic(C.notExported, d.site, `${what}: schema ${schema} is not declared; export const … = schema('${schema}')`));
    switch (o.kind) {
      case 'schema':
        claim(`schema ${name}`, what, d.site);
        break;
      case 'extension':
        claim(`extension ${name}`, what, d.site);
        break;
      case 'enum':
      case 'domain':
      case 'composite':
        claim(`type ${schema}.${name}`, what, d.site);
        break;
      case 'sequence':
        claim(`relation ${schema}.${name}`, what, d.site);
        break;
      case 'view':
        // A view is a relation and has a row type of the same name.
        claim(`relation ${schema}.${name}`, what, d.site);
        claim(`type ${schema}.${name}`, what, d.site);
        break;
      case 'function': {
        const sig = routineSignature(d.data as RoutineData, () => undefined);
        claim(`function ${sig}`, what, d.site);
        break;
      }
      case 'table':
        claim(`relation ${schema}.${name}`, what, d.site);
        claim(`type ${schema}.${name}`, what, d.site);
        validateTable(d, d.data as TableData, `#${i}`, claim, checkLength);
        break;
    }
    if (o.kind === 'enum') {
      (d.data as EnumData).values.forEach((v, i) => {
        const site = partSite(d, `value:${i}`);
        checkLength(v.label, `value '${v.label}' of ${what}`, site);
        claim(`label ${schema}.${name}.${v.label}`, `value '${v.label}' of ${what}`, site);
      });
    }
  }
  return problems;
};

/** `own` keys names that are unique per table to this declaration, so a table declared twice is reported once. */
const validateTable = (
  d: Declared,
  t: TableData,
  own: string,
  claim: (key: string, what: string, site: Site) => void,
  checkLength: (name: string, what: string, site: Site) => void,
) => {
  const table = `${t.schema}.${t.name}`;
  for (const c of t.columns) {
    const site = partSite(d, `column:${c.key}`);
    checkLength(c.name, `column ${table}.${c.name}`, site);
    claim(`column ${own}.${c.name}`, `column ${table}.${c.name}`, site);
    const u = c.column.unique?.name;
    if (u !== undefined) claim(`relation ${t.schema}.${u}`, `constraint ${u}`, site);
    for (const k of c.column.checks) if (k.name !== undefined) claim(`constraint ${own}.${k.name}`, `constraint ${k.name} on ${table}`, site);
  }
  let extras: readonly unknown[] = [];
  try {
    extras = t.extras();
  } catch {
    return; // reported when the table is rendered
  }
  extras.forEach((x, i) => {
    const e = dataOf(x) as ConstraintData | IndexData | TriggerData | PolicyData | undefined;
    const name = e && 'name' in e ? e.name : undefined;
    if (!e || name === undefined) return;
    const site = partSite(d, `extra:${i}`);
    checkLength(name, `${e.kind} ${name} on ${table}`, site);
    switch (e.kind) {
      case 'index':
        claim(`relation ${t.schema}.${name}`, `index ${t.schema}.${name}`, site);
        break;
      case 'primary-key':
      case 'unique':
      case 'exclude':
        // These constraints create an index of their name.
        claim(`relation ${t.schema}.${name}`, `constraint ${name} on ${table}`, site);
        claim(`constraint ${own}.${name}`, `constraint ${name} on ${table}`, site);
        break;
      case 'check':
      case 'foreign-key':
        claim(`constraint ${own}.${name}`, `constraint ${name} on ${table}`, site);
        break;
      case 'trigger':
        claim(`trigger ${own}.${name}`, `trigger ${name} on ${table}`, site);
        break;
      case 'policy':
        claim(`policy ${own}.${name}`, `policy ${name} on ${table}`, site);
        break;
    }
  });
};
