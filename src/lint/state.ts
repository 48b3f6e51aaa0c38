/**
 * What the statements of a file did so far, as far as the rules care: tables created here (exempt from most
 * rules: nobody else uses them yet), column types, transactions, lock_timeout, archives, NOT VALID constraints.
 * Rules read it before a statement; `advance` then records the statement.
 */
import type { Node } from 'libpg-query';
import type { ParsedStatement } from '../db/split-sql.js';
import { as, kindOf, listKey, names, relationsUnder, relKey, storedType, typeInfo, type TypeInfo } from './ast.js';

export interface FileState {
  /** Tables (and materialized views) created earlier in this file, by `relKey`. */
  readonly createdTables: ReadonlySet<string>;
  /** Indexes created earlier in this file (`schema.name`; unqualified as public). */
  readonly createdIndexes: ReadonlySet<string>;
  /** Column types known from this file or the context SQL: relKey → column → type. */
  readonly columns: ReadonlyMap<string, ReadonlyMap<string, TypeInfo>>;
  /** An explicit BEGIN is open (or the file is assumed to run in one transaction). */
  readonly inTransaction: boolean;
  /** Statements with the same id run in one transaction (each autocommitted statement has its own). */
  readonly transactionId: number;
  /** `SET TIME ZONE 'UTC'` is in force (PostgreSQL 12+ then converts timestamp ↔ timestamptz without a rewrite). */
  readonly timeZoneUtc: boolean;
  /** `SET lock_timeout` (non-zero) is in force for this statement. */
  readonly lockTimeoutSet: boolean;
  /**
   * A statement before this one took ACCESS EXCLUSIVE on an existing relation with no lock_timeout in force, and
   * no lock_timeout was set since (so the file's missing timeout was already reported there).
   */
  readonly unguardedAccessExclusive: boolean;
  /** Tables whose rows were copied into the `keikaku_archive` schema earlier in the file. */
  readonly archived: ReadonlySet<string>;
  /** Enum labels added by `ALTER TYPE … ADD VALUE`, with the transaction that added them. */
  readonly addedEnumValues: ReadonlyMap<string, { readonly type: string; readonly transactionId: number }>;
  /** Constraints added `NOT VALID` (`relKey.name`), with the transaction that added them. */
  readonly notValidConstraints: ReadonlyMap<string, number>;
  /** Columns (`relKey.column`) proven non-null by a validated `CHECK (column IS NOT NULL)`. */
  readonly provenNotNull: ReadonlySet<string>;
  /** Types renamed away earlier in the file (`schema.name` of the old name). */
  readonly renamedAwayTypes: ReadonlySet<string>;
  /** Functions declared in the file or the context (last name part, lower case) → declared volatility. */
  readonly functionVolatility: ReadonlyMap<string, 'immutable' | 'stable' | 'volatile'>;
  /** Domains (`schema.name`) that carry a CHECK or NOT NULL constraint. */
  readonly constrainedDomains: ReadonlySet<string>;
}

/** The mutable state behind `FileState`. */
export class FileTracker implements FileState {
  readonly createdTables = new Set<string>();
  readonly createdIndexes = new Set<string>();
  readonly columns = new Map<string, Map<string, TypeInfo>>();
  inTransaction: boolean;
  transactionId = 0;
  private sessionLockTimeout = false;
  private sessionUtc = false;
  private localUtcTx: { tx: number; utc: boolean } | undefined;
  private localLockTimeoutTx = -1;
  unguardedAccessExclusive = false;
  readonly archived = new Set<string>();
  readonly addedEnumValues = new Map<string, { type: string; transactionId: number }>();
  readonly notValidConstraints = new Map<string, number>();
  /** NOT VALID `CHECK (col IS NOT NULL)` constraints waiting for VALIDATE: `relKey.name` → `relKey.col`. */
  private readonly pendingNotNullChecks = new Map<string, string>();
  readonly provenNotNull = new Set<string>();
  readonly renamedAwayTypes = new Set<string>();
  readonly functionVolatility = new Map<string, 'immutable' | 'stable' | 'volatile'>();
  readonly constrainedDomains = new Set<string>();

  constructor(private readonly assumeInTransaction: boolean) {
    this.inTransaction = assumeInTransaction;
  }

  get timeZoneUtc(): boolean {
    return this.localUtcTx?.tx === this.transactionId ? this.localUtcTx.utc : this.sessionUtc;
  }

  get lockTimeoutSet(): boolean {
    return this.sessionLockTimeout || this.localLockTimeoutTx === this.transactionId;
  }

  /** Called before the rules see `statement`: an autocommitted statement is a transaction of its own. */
  enter(): void {
    if (!this.inTransaction) this.transactionId++;
  }

  /** Records what `statement` did. `existingAccessExclusive` says whether it locked an existing relation so. */
  advance(statement: ParsedStatement, existingAccessExclusive: boolean): void {
    if (existingAccessExclusive && !this.lockTimeoutSet) this.unguardedAccessExclusive = true;
    this.record(statement.node as Node);
  }

  /** Reads context SQL (what exists already): column types only; nothing there counts as created here. */
  learn(statement: ParsedStatement): void {
    const node = statement.node as Node;
    const create = as(node, 'CreateStmt');
    if (create) this.recordColumns(relKey(create.relation), create.tableElts);
    const alter = as(node, 'AlterTableStmt');
    if (alter) for (const cmd of alter.cmds ?? []) this.recordColumnChange(relKey(alter.relation), as(cmd, 'AlterTableCmd'));
    const rename = as(node, 'RenameStmt');
    if (rename && rename.renameType !== 'OBJECT_TYPE') this.recordRename(rename);
    this.recordRoutinesAndDomains(node);
  }

  /** CREATE FUNCTION's volatility (VOLATILE when unsaid) and domains with constraints. */
  private recordRoutinesAndDomains(node: Node): void {
    const fn = as(node, 'CreateFunctionStmt');
    const name = names(fn?.funcname).at(-1)?.toLowerCase();
    if (fn && name) {
      const said = (fn.options ?? []).map((o) => as(o, 'DefElem')).find((d) => d?.defname === 'volatility');
      const v = as(said?.arg, 'String')?.sval;
      this.functionVolatility.set(name, v === 'immutable' || v === 'stable' ? v : 'volatile');
    }
    const domain = as(node, 'CreateDomainStmt');
    if (domain && (domain.constraints ?? []).some((c) => ['CONSTR_CHECK', 'CONSTR_NOTNULL'].includes(as(c, 'Constraint')?.contype ?? ''))) {
      this.constrainedDomains.add(listKey(names(domain.domainname)));
    }
    const alterDomain = as(node, 'AlterDomainStmt');
    if (alterDomain && (alterDomain.subtype === 'C' || alterDomain.subtype === 'O')) this.constrainedDomains.add(listKey(names(alterDomain.typeName)));
  }

  private columnsOf(rel: string): Map<string, TypeInfo> {
    let cols = this.columns.get(rel);
    if (!cols) this.columns.set(rel, (cols = new Map()));
    return cols;
  }

  private recordColumns(rel: string, elements: readonly Node[] | undefined): void {
    for (const element of elements ?? []) {
      const col = as(element, 'ColumnDef');
      const type = typeInfo(col?.typeName);
      if (col?.colname && type) this.columnsOf(rel).set(col.colname, storedType(type));
    }
  }

  private recordColumnChange(rel: string, cmd: ReturnType<typeof as<'AlterTableCmd'>>): void {
    if (!cmd) return;
    const col = as(cmd.def, 'ColumnDef');
    if (cmd.subtype === 'AT_AddColumn' && col?.colname) {
      const type = typeInfo(col.typeName);
      if (type) this.columnsOf(rel).set(col.colname, storedType(type));
    } else if (cmd.subtype === 'AT_AlterColumnType' && cmd.name) {
      const type = typeInfo(col?.typeName);
      if (type) this.columnsOf(rel).set(cmd.name, type);
    } else if (cmd.subtype === 'AT_DropColumn' && cmd.name) {
      this.columns.get(rel)?.delete(cmd.name);
    }
  }

  private record(node: Node): void {
    this.recordRoutinesAndDomains(node);
    const tx = as(node, 'TransactionStmt');
    if (tx) {
      if (tx.kind === 'TRANS_STMT_BEGIN' || tx.kind === 'TRANS_STMT_START') {
        this.inTransaction = true;
        this.transactionId++;
      } else if (['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE'].includes(tx.kind ?? '')) {
        this.inTransaction = false;
      }
      return;
    }
    const set = as(node, 'VariableSetStmt');
    if (set && set.name?.toLowerCase() === 'lock_timeout') {
      const on = set.kind === 'VAR_SET_VALUE' && !isZero(set.args?.[0]);
      if (set.is_local) this.localLockTimeoutTx = on ? this.transactionId : -1;
      else this.sessionLockTimeout = on;
      if (on) this.unguardedAccessExclusive = false;
      return;
    }
    if (set && set.name?.toLowerCase() === 'timezone') {
      const value = as(set.args?.[0], 'A_Const')?.sval?.sval ?? '';
      const utc = set.kind === 'VAR_SET_VALUE' && UTC_NAMES.has(value.toLowerCase());
      if (set.is_local) this.localUtcTx = { tx: this.transactionId, utc };
      else this.sessionUtc = utc;
      return;
    }
    if (set?.kind === 'VAR_RESET_ALL') {
      this.sessionLockTimeout = false;
      this.sessionUtc = false;
    }
    const create = as(node, 'CreateStmt');
    if (create) {
      const rel = relKey(create.relation);
      this.createdTables.add(rel);
      this.columns.set(rel, new Map());
      this.recordColumns(rel, create.tableElts);
      for (const element of create.tableElts ?? []) this.recordConstraint(rel, as(element, 'Constraint'));
      return;
    }
    const ctas = as(node, 'CreateTableAsStmt');
    if (ctas) {
      const target = ctas.into?.rel;
      if (target?.schemaname === 'keikaku_archive') for (const r of relationsUnder(ctas.query)) this.archived.add(r);
      this.createdTables.add(relKey(target));
      return;
    }
    const insert = as(node, 'InsertStmt');
    if (insert) {
      if (insert.relation?.schemaname === 'keikaku_archive') {
        for (const r of relationsUnder(insert.selectStmt)) this.archived.add(r);
      }
      return;
    }
    const index = as(node, 'IndexStmt');
    if (index) {
      if (index.idxname) this.createdIndexes.add(`${index.relation?.schemaname ?? 'public'}.${index.idxname}`);
      return;
    }
    const alter = as(node, 'AlterTableStmt');
    if (alter) {
      const rel = relKey(alter.relation);
      for (const c of alter.cmds ?? []) {
        const cmd = as(c, 'AlterTableCmd');
        this.recordColumnChange(rel, cmd);
        if (cmd?.subtype === 'AT_AddConstraint') this.recordConstraint(rel, as(cmd.def, 'Constraint'));
        if (cmd?.subtype === 'AT_ValidateConstraint' && cmd.name) {
          const proven = this.pendingNotNullChecks.get(`${rel}.${cmd.name}`);
          if (proven) this.provenNotNull.add(proven);
        }
      }
      return;
    }
    const rename = as(node, 'RenameStmt');
    if (rename) {
      this.recordRename(rename);
      return;
    }
    const enumAdd = as(node, 'AlterEnumStmt');
    if (enumAdd?.newVal !== undefined && enumAdd.oldVal === undefined) {
      this.addedEnumValues.set(enumAdd.newVal, { type: listKey(names(enumAdd.typeName)), transactionId: this.transactionId });
      return;
    }
    const drop = as(node, 'DropStmt');
    if (drop && (drop.removeType === 'OBJECT_TABLE' || drop.removeType === 'OBJECT_MATVIEW')) {
      for (const object of drop.objects ?? []) this.createdTables.delete(listKey(names(as(object, 'List')?.items)));
    }
  }

  private recordConstraint(rel: string, con: ReturnType<typeof as<'Constraint'>>): void {
    if (!con) return;
    const name = `${rel}.${con.conname ?? ''}`;
    if (con.skip_validation) this.notValidConstraints.set(name, this.transactionId);
    if (con.contype !== 'CONSTR_CHECK') return;
    const test = as(con.raw_expr, 'NullTest');
    const column = names(as(test?.arg, 'ColumnRef')?.fields);
    if (test?.nulltesttype !== 'IS_NOT_NULL' || column.length !== 1) return;
    const target = `${rel}.${column[0]}`;
    if (con.skip_validation) this.pendingNotNullChecks.set(name, target);
    else this.provenNotNull.add(target);
  }

  private recordRename(rename: ReturnType<typeof as<'RenameStmt'>> & object): void {
    if (rename.renameType === 'OBJECT_TYPE') {
      const old = names(as(rename.object, 'List')?.items);
      this.renamedAwayTypes.add(listKey(old));
      return;
    }
    const rel = relKey(rename.relation);
    if (rename.renameType === 'OBJECT_TABLE' && rename.newname) {
      const to = `${rename.relation?.schemaname ?? 'public'}.${rename.newname}`;
      if (this.createdTables.delete(rel)) this.createdTables.add(to);
      const cols = this.columns.get(rel);
      if (cols) this.columns.set(to, cols);
      this.columns.delete(rel);
    } else if (rename.renameType === 'OBJECT_COLUMN' && rename.subname && rename.newname) {
      const cols = this.columns.get(rel);
      const type = cols?.get(rename.subname);
      if (cols && type) {
        cols.delete(rename.subname);
        cols.set(rename.newname, type);
      }
    }
  }
}

/** Time zone names that are UTC (what the server's default would be is not known: not assumed). */
const UTC_NAMES = new Set(['utc', 'etc/utc', 'utc0', 'etc/utc0', 'zulu', 'etc/zulu', 'gmt', 'etc/gmt', 'z']);

/** `0`, `'0'`, `'0ms'`, `'0s'`: a lock_timeout of zero means none. */
const isZero = (arg: Node | undefined): boolean => {
  const c = as(arg, 'A_Const');
  if (!c) return kindOf(arg) === '';
  if (c.ival !== undefined) return (c.ival.ival ?? 0) === 0;
  const s = c.sval?.sval?.trim() ?? '';
  return /^0+\s*(ms|s|min|h|d)?$/i.test(s);
};
