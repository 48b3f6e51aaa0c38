/**
 * `check --schemas` compares the template's model with a tenant's (src/tenant/model.ts): names and PostgreSQL's
 * printed SQL mapped from one schema to the other on tokens, other schemas' objects left out. Against the text
 * shapes the catalog printers produce (the server test, test/tenant/tenants.test.ts, checks them live).
 */
import { describe, expect, it } from 'vitest';
import { key, tableKey } from '../../src/model/keys.js';
import { emptySchema, type Schema, type Table } from '../../src/model/schema.js';
import { mapSchemaText, schemaAs } from '../../src/tenant/model.js';

const HOSTILE = 'tenant_"x".y $表 select';

describe('mapSchemaText', () => {
  it('maps an identifier that qualifies a name, quoted as PostgreSQL prints it', async () => {
    expect(await mapSchemaText('FOREIGN KEY (c) REFERENCES public.customers(id)', 'public', 'tenant_a')).toBe('FOREIGN KEY (c) REFERENCES tenant_a.customers(id)');
    expect(await mapSchemaText('public.mood[]', 'public', HOSTILE)).toBe('"tenant_""x"".y $表 select".mood[]');
    expect(await mapSchemaText('"tenant_""x"".y $表 select".mood', HOSTILE, 'public')).toBe('public.mood');
    // A keyword schema name is quoted, as quote_ident does.
    expect(await mapSchemaText("'open'::public.status", 'public', 'select')).toBe(`'open'::"select".status`);
  });

  it('maps the name in a string cast to regclass, and no other string', async () => {
    expect(await mapSchemaText("nextval('public.t_id_seq'::regclass)", 'public', 'tenant_a')).toBe("nextval('tenant_a.t_id_seq'::regclass)");
    expect(await mapSchemaText("nextval('public.t_id_seq'::regclass)", 'public', HOSTILE)).toBe(`nextval('"tenant_""x"".y $表 select".t_id_seq'::regclass)`);
    expect(await mapSchemaText("CHECK (note <> 'public.t')", 'public', 'tenant_a')).toBe("CHECK (note <> 'public.t')");
    const body = "CREATE OR REPLACE FUNCTION public.f()\n RETURNS int\n LANGUAGE sql\nAS $function$select 1 from public.t$function$\n";
    expect(await mapSchemaText(body, 'public', 'tenant_a')).toBe(body.replace('FUNCTION public.f', 'FUNCTION tenant_a.f'));
  });

  it('leaves the name alone where it does not qualify a name (a column, a qualified column part)', async () => {
    expect(await mapSchemaText('CHECK ((public > 0))', 'public', 'tenant_a')).toBe('CHECK ((public > 0))');
    expect(await mapSchemaText('SELECT t.public.x FROM tenant_a.t', 'public', 'tenant_a')).toBe('SELECT t.public.x FROM tenant_a.t');
    expect(await mapSchemaText('publication.t', 'public', 'tenant_a')).toBe('publication.t');
  });
});

describe('schemaAs', () => {
  const table = (schema: string, name: string, refSchema: string): Table => ({
    kind: 'table',
    schema,
    name,
    unlogged: false,
    partitionBy: null,
    partitionOf: null,
    inherits: [],
    columns: [
      {
        name: 'id', type: 'bigint', notNull: true, notNullName: null, default: null, generated: null, virtual: false, collation: null, comment: 'public.x stays', position: 1, grants: [],
        identity: { always: true, sequenceSchema: schema, sequenceName: `${name}_id_seq`, type: 'bigint', start: '1', increment: '1', min: '1', max: '9', cache: '1', cycle: false },
      },
    ],
    constraints: [{ name: 'fk', type: 'foreign', definition: `FOREIGN KEY (id) REFERENCES ${refSchema}.c(id)`, validated: true, columns: ['id'], references: { schema: refSchema, table: 'c' }, comment: null }],
    rowSecurity: false,
    forceRowSecurity: false,
    options: [],
    comment: null,
    grants: [],
  });
  const model = (...tables: Table[]): Schema => ({
    ...emptySchema(170000),
    schemas: [{ kind: 'schema', name: 'public', comment: null, grants: [] }],
    tables,
    dependencies: [
      { from: tableKey('public', 't'), to: tableKey('public', 'c') },
      { from: tableKey('public', 't'), to: tableKey('other', 'x') },
      { from: key('function', 'public', 'f', 'a public.mood'), to: tableKey('public', 't') },
    ],
  });

  it('keeps the schema`s objects only, every schema name in them mapped', async () => {
    const s = await schemaAs(model(table('public', 't', 'public'), table('other', 'o', 'public')), 'public', 'tenant_a');
    expect(s.schemas).toEqual([]);
    expect(s.tables).toEqual([{ ...table('tenant_a', 't', 'tenant_a'), columns: [{ ...table('tenant_a', 't', 'tenant_a').columns[0]!, comment: 'public.x stays' }] }]);
    expect(s.dependencies).toEqual([
      { from: tableKey('tenant_a', 't'), to: tableKey('tenant_a', 'c') },
      { from: key('function', 'tenant_a', 'f', 'a tenant_a.mood'), to: tableKey('tenant_a', 't') },
    ]);
    // A tenant's reference to the template schema is not its own schema: it stays, and compares as drift.
    const live = await schemaAs(model(table('tenant_a', 't', 'public')), 'tenant_a', 'tenant_a');
    expect(live.tables[0]!.constraints[0]!.references).toEqual({ schema: 'public', table: 'c' });
    expect(live.tables[0]!.constraints).not.toEqual(s.tables[0]!.constraints);
  });
});
