// Corpus case: sqldef/tests_constraints/CreateTableWithConstraintOptions
import { foreignKey, integer, primaryKey, table, unique, varchar } from '../../../../src/index.js';

export const images = table('images', {
  id: integer().primaryKey(),
});

export const imageOwners = table('image_owners', {
  id: integer(),
  type: varchar({ length: 20 }).notNull(),
}, (t) => [primaryKey(t.type, t.id)]);

export const imageBindings = table('image_bindings', {
  imageId: integer().references(() => images.id, { onDelete: 'cascade', deferrable: 'immediate' }),
  imageOrder: integer().notNull(),
  imageOwnerType: varchar({ length: 20 }).notNull(),
  imageOwnerId: integer().notNull(),
}, (t) => [
  foreignKey({
    name: 'image_owner_fk',
    columns: [t.imageOwnerType, t.imageOwnerId],
    references: () => [imageOwners.type, imageOwners.id],
    onDelete: 'cascade',
    deferrable: 'immediate',
  }),
  unique({ name: 'image_order_unique', columns: [t.imageOwnerType, t.imageOwnerId, t.imageOrder], deferrable: 'deferred' }),
]);
