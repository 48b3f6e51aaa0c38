/** The desired schema of a project: `schema/` loaded, rendered, and normalized in the shadow. */
import type { Desired } from '../cli/project.js';
import type { ResolvedConfig } from '../config/index.js';
import { loadSchemaDir, schemaStamp } from './schema-dir.js';
import { closeShadowEarly, lastNormalization, normalize, startShadowEarly } from './shadow.js';

export const loadDesired = async (config: ResolvedConfig): Promise<Desired> => {
  // The embedded shadow starts on a worker thread while schema/ loads (with the last normalization's extensions).
  const stamp = config.shadowUrl ? null : schemaStamp(config.schemaDir);
  if (!config.shadowUrl) startShadowEarly(config.root, stamp);
  let loaded;
  let schema;
  try {
    loaded = await loadSchemaDir(config.schemaDir, { cwd: config.root });
    schema = await normalize(loaded, { shadowUrl: config.shadowUrl, cacheRoot: config.root, sourceStamp: stamp ?? undefined });
  } finally {
    await closeShadowEarly();
  }
  if (process.env.KEIKAKU_DEBUG) {
    const { mode, plan } = lastNormalization;
    const detail = plan ? ` (${plan.changed} changed and ${plan.removed} removed of ${plan.units} declarations; ${plan.tables} tables created in the shadow)` : '';
    process.stderr.write(`keikaku: normalized schema/: ${mode}${detail}\n`);
  }
  return {
    schema,
    hints: loaded.renameHints.map((h) => h.text),
    backfills: loaded.backfills,
    hintSite: (text) => {
      const h = loaded.renameHints.find((x) => x.text === text);
      return h && `${h.site.file}:${h.site.line}:${h.site.col} (${h.object})`;
    },
  };
};
