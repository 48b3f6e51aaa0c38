/** Declarations from a module's exports, as the loader makes them but with made-up sites (no files involved). */
import { dataOf } from '../../src/dsl/brand.js';
import { isDeclaredKind, renderDeclared } from '../../src/dsl/ddl/script.js';
import type { Declared } from '../../src/dsl/ddl/site.js';
import { rolesIn } from '../../src/dsl/ddl/roles.js';

export const declaredOf = (exports: Record<string, unknown>, file = 'mem.ts'): Declared[] =>
  Object.entries(exports)
    .filter(([, v]) => isDeclaredKind(dataOf(v)?.kind ?? ''))
    .map(([exportName, v], i) => ({ data: dataOf(v)!, exportName, site: { file, line: i + 1, col: 1 }, parts: new Map() }));

/** What `normalize` / `applyScript` take, from a module's exports; throws on render problems. */
export const scriptOf = (exports: Record<string, unknown>) => {
  const declared = declaredOf(exports);
  const { statements, problems } = renderDeclared(declared);
  if (problems.length) throw new Error(problems.map((p) => `${p.code} ${p.message}`).join('\n'));
  const extensions = declared.filter((d) => d.data.kind === 'extension').map((d) => (d.data as unknown as { name: string }).name);
  return { script: statements, extensions, roles: rolesIn(declared) };
};
