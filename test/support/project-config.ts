import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ResolvedConfig } from '../../src/config/index.js';

/**
 * The configuration of a new, empty project in a fresh temporary directory (`<tmp>/<prefix>XXXXXX`): schema/ and
 * generated/ under it, the embedded shadow, the phased strategy. The caller removes `root` when it is done.
 */
export const tempProjectConfig = (prefix: string, overrides: Partial<ResolvedConfig> = {}): ResolvedConfig => {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return {
    root,
    configFile: null,
    schemaDir: join(root, 'schema'),
    generatedDir: join(root, 'generated'),
    shadowUrl: undefined,
    strategy: 'phased',
    allowHazards: [],
    environments: {},
    databaseUrl: undefined,
    ...overrides,
  };
};
