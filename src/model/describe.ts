import type { Change } from './change.js';
import { assertNever } from './change.js';

const q = (...parts: string[]) => parts.join('.');

/** A one-line human description of a change: verb and qualified object name. */
export const describeChange = (c: Change): string => {
  const verb = c.kind.replace(/_/g, ' ');
  switch (c.kind) {
    case 'create_schema':
    case 'alter_schema':
    case 'create_extension':
    case 'alter_extension':
      return `${verb} ${c.to.name}`;
    case 'drop_schema':
    case 'drop_extension':
      return `${verb} ${c.from.name}`;
    case 'create_type':
    case 'create_sequence':
    case 'create_table':
    case 'create_index':
    case 'create_view':
      return `${verb} ${q(c.to.schema, c.to.name)}`;
    case 'drop_type':
    case 'drop_sequence':
    case 'drop_table':
    case 'drop_index':
    case 'drop_view':
      return `${verb} ${q(c.from.schema, c.from.name)}`;
    case 'alter_enum':
    case 'recreate_enum':
    case 'alter_domain':
    case 'alter_composite':
    case 'alter_sequence':
    case 'set_sequence_owner':
    case 'alter_table':
    case 'alter_index':
    case 'alter_view':
      return `${verb} ${q(c.to.schema, c.to.name)}`;
    case 'rename_type':
    case 'rename_sequence':
    case 'rename_table':
    case 'rename_index':
    case 'rename_view':
      return `${verb} ${q(c.from.schema, c.from.name)} to ${c.to.name}`;
    case 'add_column':
    case 'alter_column':
    case 'add_constraint':
    case 'alter_constraint':
      return `${verb} ${q(c.table.schema, c.table.name, c.to.name)}`;
    case 'drop_column':
    case 'drop_constraint':
      return `${verb} ${q(c.table.schema, c.table.name, c.from.name)}`;
    case 'rename_column':
    case 'rename_constraint':
      return `${verb} ${q(c.table.schema, c.table.name, c.from.name)} to ${c.to.name}`;
    case 'create_function':
    case 'replace_function':
    case 'alter_function':
      return `${verb} ${q(c.to.schema, c.to.name)}(${c.to.identityArgs})`;
    case 'drop_function':
      return `${verb} ${q(c.from.schema, c.from.name)}(${c.from.identityArgs})`;
    case 'create_trigger':
    case 'alter_trigger':
    case 'create_policy':
    case 'alter_policy':
      return `${verb} ${c.to.name} on ${q(c.to.schema, c.to.table)}`;
    case 'drop_trigger':
    case 'drop_policy':
      return `${verb} ${c.from.name} on ${q(c.from.schema, c.from.table)}`;
    default:
      return assertNever(c);
  }
};
