/**
 * The `keikaku` package: the schema DSL for `schema/*.ts` files, and the row types application code derives from
 * it (`InferRow<typeof staffs>`). The CLI (`bin/keikaku.js`) is the other entry point.
 */
export * from './dsl/index.js';
export { defineConfig, type KeikakuConfig } from './config/index.js';
