/**
 * The script creates objects in an order Postgres accepts even when they depend on each other across kinds:
 * a domain CHECK calling a declared function, a function returning `SETOF` a table named as text, a view calling
 * that function, a function taking a view's row type. Judged by the database: the script applies and reads back.
 */
import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/load/shadow.js';
import { boolean, domain, fn, grant, integer, sql, table, text, uniqueIndex, view } from '../../src/index.js';
import { backends } from '../support/backends.js';
import { scriptOf } from './declared.js';

// Declared in an order that would fail as written: users first, what they use last.
const recentOrders = view('recent_orders', sql`SELECT id, closed FROM open_orders()`);
const countRecent = fn('count_recent', {
  args: [{ name: 'r', type: 'recent_orders' }],
  returns: 'integer',
  language: 'sql',
  body: 'SELECT r.id',
});
const isEmail = fn('is_email', {
  args: [{ name: 's', type: text() }],
  returns: 'boolean',
  language: 'sql',
  volatility: 'immutable',
  body: "SELECT s LIKE '%@%'",
});
// The domain's check calls the function through a reference: the check must come after the function.
const email = domain('email', text(), { checks: [sql`${isEmail}(VALUE)`] });
const openOrders = fn('open_orders', { returns: 'SETOF public.orders', language: 'sql', body: 'SELECT * FROM orders WHERE NOT closed' });
const orders = table('orders', { id: integer().primaryKey(), closed: boolean().notNull().default(false), contact: email() });

const all = await backends();

describe.each(all)('cross-kind ordering ($title)', (backend) => {
  const shadow = backend.serverUrl ? { shadowUrl: backend.serverUrl } : {};

  it('applies objects that depend on each other across kinds, whatever order they are declared in', async () => {
    const s = await normalize(scriptOf({ recentOrders, countRecent, email, isEmail, openOrders, orders }), shadow);
    expect(s.views.map((v) => v.name)).toEqual(['recent_orders']);
    expect(s.functions.map((r) => r.name).sort()).toEqual(['count_recent', 'is_email', 'open_orders']);
    expect(s.domains.find((d) => d.name === 'email')?.checks.map((c) => c.name)).toEqual(['email_check']);
  });

  it('a foreign key may reference columns that only a unique index (not a constraint) makes unique', async () => {
    const posts = table('posts', { id: integer().primaryKey(), author: text().references(() => users.email) });
    const users = table('users', { id: integer().primaryKey(), email: text().notNull() }, (t) => [uniqueIndex('users_email').on(t.email)]);
    const s = await normalize(scriptOf({ posts, users }), shadow);
    expect(s.tables.find((t) => t.name === 'posts')?.constraints.filter((c) => c.type === 'foreign').map((c) => c.definition)).toEqual([
      'FOREIGN KEY (author) REFERENCES public.users(email)',
    ]);
  });

  it('a column grant of several privileges grants each on the columns only, not on the table', async () => {
    const notes = table({ name: 'notes', grants: [grant(['references', 'update'], 'public', { columns: ['body'] })] }, { id: integer().primaryKey(), body: text() });
    const s = await normalize(scriptOf({ notes }), shadow);
    const t = s.tables.find((x) => x.name === 'notes')!;
    expect(t.grants.filter((g) => g.grantee === 'PUBLIC' || g.grantee === 'public')).toEqual([]);
    expect(t.columns.find((c) => c.name === 'body')?.grants.map((g) => g.privilege).sort()).toEqual(['REFERENCES', 'UPDATE']);
  });

  it('a domain check naming a function that is not exported is reported, not applied out of order', () => {
    expect(() => scriptOf({ email, orders, openOrders })).toThrow(/function public\.is_email is used here but not exported/);
  });
});
