/**
 * The schema model: one immutable vocabulary shared by introspection, the DSL loader, the differ and the renderer.
 *
 * Every SQL fragment stored here (types, defaults, expressions, definitions) is text exactly as PostgreSQL prints it
 * (`format_type`, `pg_get_expr`, `pg_get_constraintdef`, `pg_get_indexdef`, `pg_get_viewdef`, `pg_get_functiondef`,
 * `pg_get_triggerdef`), so two objects are equal when Postgres says they are, never by our own guess of normal form.
 * Names are stored unquoted; quoting happens only in `src/render/quote.ts`.
 */

/** A privilege held by a grantee on an object (one row of `aclexplode`). `grantee` is `PUBLIC` for role 0. */
export interface Grant {
  readonly grantee: string;
  readonly privilege: string;
  readonly grantable: boolean;
}

export interface Namespace {
  readonly kind: 'schema';
  readonly name: string;
  readonly comment: string | null;
  readonly grants: readonly Grant[];
}

export interface Extension {
  readonly kind: 'extension';
  readonly name: string;
  readonly schema: string;
  readonly version: string;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly schema: string;
  readonly name: string;
  readonly labels: readonly string[];
  readonly comment: string | null;
}

export interface DomainCheck {
  readonly name: string;
  /** `pg_get_constraintdef` text, e.g. `CHECK (VALUE > 0)`. */
  readonly definition: string;
  readonly validated: boolean;
}

export interface DomainType {
  readonly kind: 'domain';
  readonly schema: string;
  readonly name: string;
  /** `format_type` of the base type with its modifier. */
  readonly baseType: string;
  readonly notNull: boolean;
  readonly default: string | null;
  readonly collation: string | null;
  readonly checks: readonly DomainCheck[];
  readonly comment: string | null;
}

export interface CompositeAttribute {
  readonly name: string;
  readonly type: string;
  readonly collation: string | null;
}

export interface CompositeType {
  readonly kind: 'composite';
  readonly schema: string;
  readonly name: string;
  readonly attributes: readonly CompositeAttribute[];
  readonly comment: string | null;
}

export interface ColumnRef {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
}

export interface Sequence {
  readonly kind: 'sequence';
  readonly schema: string;
  readonly name: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
  /** `OWNED BY` (serial columns); a sequence owned by a column is dropped with its table. */
  readonly ownedBy: ColumnRef | null;
  readonly comment: string | null;
  readonly grants: readonly Grant[];
}

export interface IdentityOptions {
  readonly always: boolean;
  /** The identity sequence's schema and name (it need not be `<table>_<column>_seq`). */
  readonly sequenceSchema: string;
  readonly sequenceName: string;
  readonly type: string;
  readonly start: string;
  readonly increment: string;
  readonly min: string;
  readonly max: string;
  readonly cache: string;
  readonly cycle: boolean;
}

export interface Column {
  readonly name: string;
  /** `format_type(atttypid, atttypmod)`, e.g. `character varying(20)`, `public.mood[]`. */
  readonly type: string;
  readonly notNull: boolean;
  /**
   * The name of the column's NOT NULL constraint (PostgreSQL 18 keeps NOT NULL as a `pg_constraint` row); null
   * before 18, without NOT NULL, and when inherited (the parent's constraint names it). Compared only where it is
   * not the name PostgreSQL would choose itself (`notNullLabel`, src/model/not-null-name.ts), so that unnamed
   * NOT NULLs read the same on every major.
   */
  readonly notNullName: string | null;
  /** `pg_get_expr` of the default, null when none (and for generated columns). */
  readonly default: string | null;
  /** `pg_get_expr` of a generated column's expression. */
  readonly generated: string | null;
  /** A generated column computed when read (PostgreSQL 18 `VIRTUAL`); false for stored and plain columns. */
  readonly virtual: boolean;
  readonly identity: IdentityOptions | null;
  /** Collation when it differs from the type's default, as a qualified quoted name (`"C"`, `pg_catalog."default"`). */
  readonly collation: string | null;
  readonly comment: string | null;
  /** Position in the table, used only to create columns in a stable order. */
  readonly position: number;
  readonly grants: readonly Grant[];
}

export type ConstraintType = 'primary' | 'unique' | 'foreign' | 'check' | 'exclusion';

export interface Constraint {
  readonly name: string;
  readonly type: ConstraintType;
  /** `pg_get_constraintdef` text. */
  readonly definition: string;
  readonly validated: boolean;
  /** Columns the constraint is on (names), for dependency ordering and renames. */
  readonly columns: readonly string[];
  /** The referenced table of a foreign key. */
  readonly references: { readonly schema: string; readonly table: string } | null;
  readonly comment: string | null;
}

export interface PartitionOf {
  readonly parentSchema: string;
  readonly parent: string;
  /** `pg_get_expr(relpartbound)`, e.g. `FOR VALUES FROM (1) TO (10)` or `DEFAULT`. */
  readonly bound: string;
}

/** A parent of plain inheritance (`INHERITS`). */
export interface InheritsFrom {
  readonly schema: string;
  readonly table: string;
}

export interface Table {
  readonly kind: 'table';
  readonly schema: string;
  readonly name: string;
  readonly unlogged: boolean;
  /** `pg_get_partkeydef`, e.g. `RANGE (created_at)`, for a partitioned table. */
  readonly partitionBy: string | null;
  readonly partitionOf: PartitionOf | null;
  /**
   * Parents of plain inheritance, in `INHERITS` order (never set on a partition). Their columns are the child's
   * too; `columns` lists only those the child declares itself or sets differently (a default, NOT NULL).
   */
  readonly inherits: readonly InheritsFrom[];
  /** Local columns (inherited columns of a partition are the parent's). */
  readonly columns: readonly Column[];
  /** Local constraints (NOT NULL is a column property, never a constraint here). */
  readonly constraints: readonly Constraint[];
  readonly rowSecurity: boolean;
  readonly forceRowSecurity: boolean;
  /** `reloptions`, e.g. `fillfactor=70`. */
  readonly options: readonly string[];
  readonly comment: string | null;
  readonly grants: readonly Grant[];
}

export interface Index {
  readonly kind: 'index';
  readonly schema: string;
  readonly name: string;
  readonly table: string;
  /** `pg_get_indexdef` text. */
  readonly definition: string;
  readonly unique: boolean;
  /** Column names the index reads (empty entries for expressions). */
  readonly columns: readonly string[];
  readonly comment: string | null;
}

export interface View {
  readonly kind: 'view';
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  /** `pg_get_viewdef` text (the SELECT, ending in `;`). */
  readonly definition: string;
  /** `reloptions`, e.g. `security_barrier=true`, `check_option=local`. */
  readonly options: readonly string[];
  /** Column names, in order (a view can only gain columns at the end in place). */
  readonly columns: readonly string[];
  readonly columnComments: readonly { readonly column: string; readonly comment: string }[];
  readonly comment: string | null;
  readonly grants: readonly Grant[];
}

export interface Routine {
  readonly kind: 'function';
  readonly schema: string;
  readonly name: string;
  /** `pg_get_function_identity_arguments`, the part of the signature that identifies it. */
  readonly identityArgs: string;
  readonly procedure: boolean;
  /** `pg_get_function_result` (null for procedures). */
  readonly returns: string | null;
  /** `pg_get_function_arguments`, with names and defaults. */
  readonly args: string;
  /** `pg_get_functiondef`: a complete `CREATE OR REPLACE FUNCTION` statement. */
  readonly definition: string;
  readonly comment: string | null;
  readonly grants: readonly Grant[];
}

export interface Trigger {
  readonly kind: 'trigger';
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** `pg_get_triggerdef` text. */
  readonly definition: string;
  /** `O` origin (enabled), `D` disabled, `R` replica, `A` always. */
  readonly enabled: 'O' | 'D' | 'R' | 'A';
  readonly comment: string | null;
}

export interface Policy {
  readonly kind: 'policy';
  readonly schema: string;
  readonly table: string;
  readonly name: string;
  /** `ALL`, `SELECT`, `INSERT`, `UPDATE` or `DELETE`. */
  readonly command: string;
  readonly permissive: boolean;
  /** Role names, `public` for PUBLIC, sorted. */
  readonly roles: readonly string[];
  readonly using: string | null;
  readonly withCheck: string | null;
  readonly comment: string | null;
}

export type SchemaObject =
  | Namespace
  | Extension
  | EnumType
  | DomainType
  | CompositeType
  | Sequence
  | Table
  | Index
  | View
  | Routine
  | Trigger
  | Policy;

/** An edge "`from` cannot exist without `to`", between object keys (see `keys.ts`). */
export interface Dependency {
  readonly from: string;
  readonly to: string;
}

/** A whole database schema: every list sorted by key. */
export interface Schema {
  readonly schemas: readonly Namespace[];
  readonly extensions: readonly Extension[];
  readonly enums: readonly EnumType[];
  readonly domains: readonly DomainType[];
  readonly composites: readonly CompositeType[];
  readonly sequences: readonly Sequence[];
  readonly tables: readonly Table[];
  readonly indexes: readonly Index[];
  readonly views: readonly View[];
  readonly functions: readonly Routine[];
  readonly triggers: readonly Trigger[];
  readonly policies: readonly Policy[];
  /** Dependencies between objects as Postgres records them (`pg_depend`), by key. */
  readonly dependencies: readonly Dependency[];
  /** `server_version_num` of the database this was read from. */
  readonly serverVersion: number;
}

export const emptySchema = (serverVersion = 0): Schema => ({
  schemas: [],
  extensions: [],
  enums: [],
  domains: [],
  composites: [],
  sequences: [],
  tables: [],
  indexes: [],
  views: [],
  functions: [],
  triggers: [],
  policies: [],
  dependencies: [],
  serverVersion,
});
