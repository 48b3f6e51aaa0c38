/** Triggers and row-level security policies: objects that belong to one table. */
import type { Db } from '../db/types.js';
import type { Policy, Trigger } from '../model/schema.js';
import { runQuery, type Read } from './catalog.js';
import { bool, int, text, textArray, textOrNull } from './decode.js';
import { sorted } from './order.js';

/** An object that belongs to a relation, with that relation's oid. */
export interface ReadOwned<T> extends Read<T> {
  readonly tableOid: number;
}

const enabledStates = ['O', 'D', 'R', 'A'] as const;

export const readTriggers = (db: Db, params: readonly unknown[]): Promise<ReadOwned<Trigger>[]> =>
  runQuery(db, 'triggers', params, (r) => {
    const enabled = text(r, 'enabled');
    const state = enabledStates.find((s) => s === enabled);
    if (state === undefined) throw new Error(`unexpected tgenabled ${JSON.stringify(enabled)}`);
    return {
      oid: int(r, 'oid'),
      tableOid: int(r, 'table_oid'),
      object: {
        kind: 'trigger',
        schema: text(r, 'schema'),
        table: text(r, 'table'),
        name: text(r, 'name'),
        definition: text(r, 'definition'),
        enabled: state,
        comment: textOrNull(r, 'comment'),
      },
    };
  });

const commands: Readonly<Record<string, string>> = { '*': 'ALL', r: 'SELECT', a: 'INSERT', w: 'UPDATE', d: 'DELETE' };

export const readPolicies = (db: Db, params: readonly unknown[]): Promise<ReadOwned<Policy>[]> =>
  runQuery(db, 'policies', params, (r) => {
    const code = text(r, 'command');
    const command = commands[code];
    if (command === undefined) throw new Error(`unexpected polcmd ${JSON.stringify(code)}`);
    return {
      oid: int(r, 'oid'),
      tableOid: int(r, 'table_oid'),
      object: {
        kind: 'policy',
        schema: text(r, 'schema'),
        table: text(r, 'table'),
        name: text(r, 'name'),
        command,
        permissive: bool(r, 'permissive'),
        roles: sorted(textArray(r, 'roles'), (x) => [x]),
        using: textOrNull(r, 'using'),
        withCheck: textOrNull(r, 'with_check'),
        comment: textOrNull(r, 'comment'),
      },
    };
  });
