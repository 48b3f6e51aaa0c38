/** Every lint rule, in the order the rules table lists them. A new rule is one file and one line here. */
import type { LintRule } from '../types.js';
import { addCheckNotValid } from './add-check-not-valid.js';
import { addColumnConstrainedDomain } from './add-column-constrained-domain.js';
import { addColumnGenerated } from './add-column-generated.js';
import { addColumnRequired } from './add-column-required.js';
import { addColumnVolatileDefault } from './add-column-volatile-default.js';
import { addExclusionConstraint } from './add-exclusion-constraint.js';
import { addForeignKeyNotValid } from './add-foreign-key-not-valid.js';
import { addUniqueUsingIndex } from './add-unique-using-index.js';
import { alterColumnType } from './alter-column-type.js';
import { concurrentlyInTransaction } from './concurrently-in-transaction.js';
import { createIndexConcurrently } from './create-index-concurrently.js';
import { detachPartitionConcurrently } from './detach-partition-concurrently.js';
import { domainConstraintNotValid } from './domain-constraint-not-valid.js';
import { dropDatabase } from './drop-database.js';
import { dropColumnArchive } from './drop-column-archive.js';
import { dropIndexConcurrently } from './drop-index-concurrently.js';
import { dropTableArchive } from './drop-table-archive.js';
import { enumAddValueTransaction } from './enum-add-value-transaction.js';
import { enumRebuild } from './enum-rebuild.js';
import { enumRenameValue } from './enum-rename-value.js';
import { enumValueSameTransaction } from './enum-value-same-transaction.js';
import { narrowingColumnType } from './narrowing-column-type.js';
import { reindexConcurrently } from './reindex-concurrently.js';
import { renameColumn } from './rename-column.js';
import { renameTable } from './rename-table.js';
import { requireLockTimeout } from './require-lock-timeout.js';
import { setNotNull } from './set-not-null.js';
import { tableRewriteOption } from './table-rewrite-option.js';
import { cluster } from './cluster.js';
import { deleteWithoutWhere } from './delete-without-where.js';
import { lockTable } from './lock-table.js';
import { preferBigintIdentity } from './prefer-bigint-identity.js';
import { preferText } from './prefer-text.js';
import { preferTimestamptz } from './prefer-timestamptz.js';
import { refreshMatviewConcurrently } from './refresh-matview-concurrently.js';
import { truncate } from './truncate.js';
import { updateWithoutWhere } from './update-without-where.js';
import { vacuumFull } from './vacuum-full.js';
import { validateSameTransaction } from './validate-same-transaction.js';

export const RULES: readonly LintRule[] = [
  createIndexConcurrently,
  dropIndexConcurrently,
  reindexConcurrently,
  concurrentlyInTransaction,
  addColumnRequired,
  addColumnVolatileDefault,
  addColumnGenerated,
  addColumnConstrainedDomain,
  alterColumnType,
  tableRewriteOption,
  narrowingColumnType,
  setNotNull,
  addForeignKeyNotValid,
  addCheckNotValid,
  validateSameTransaction,
  addUniqueUsingIndex,
  addExclusionConstraint,
  detachPartitionConcurrently,
  domainConstraintNotValid,
  renameColumn,
  renameTable,
  dropColumnArchive,
  dropTableArchive,
  dropDatabase,
  truncate,
  deleteWithoutWhere,
  updateWithoutWhere,
  enumValueSameTransaction,
  enumAddValueTransaction,
  enumRebuild,
  enumRenameValue,
  requireLockTimeout,
  lockTable,
  vacuumFull,
  cluster,
  refreshMatviewConcurrently,
  preferText,
  preferTimestamptz,
  preferBigintIdentity,
];
