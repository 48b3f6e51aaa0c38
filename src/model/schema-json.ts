/**
 * A schema as JSON text, one object per line (a table with its columns and constraints, an index, a dependency):
 * what `generated/head.json` holds under `"schema"` and what the cache stores. One rendering serves both, and it
 * is made once per schema object: `generate` writes the normalized schema to the cache, to the predicted
 * history and to `head.json`, and serializing 1,000 tables takes ~0.1 s each time. Schemas are not changed after
 * they are made (their fields are readonly), so the text stays right for the object.
 */
import type { Schema } from './schema.js';

/** The schema's lists, in the text's order; `serverVersion` follows them. */
export const SCHEMA_LISTS = [
  'schemas', 'extensions', 'enums', 'domains', 'composites', 'sequences', 'tables', 'indexes', 'views', 'functions',
  'triggers', 'policies', 'dependencies',
] as const satisfies readonly (keyof Schema)[];

/** `open`, then one line per element joined by commas, then `close` (`open + close` when there are none). */
export const jsonBlock = (open: string, lines: readonly string[], close: string): string =>
  lines.length ? `${open}\n${lines.join(',\n')}\n${close}` : `${open}${close}`;

let rendered = new WeakMap<Schema, string>();

/**
 * Lets go of every schema's text (each 7 MB for 1,000 tables): a process that keeps schemas between runs (the
 * daemon) calls it once a run's files are written; a later `schemaJson` of a kept schema joins its memoized lines.
 */
export const forgetSchemaTexts = (): void => {
  rendered = new WeakMap();
};

/**
 * Each object's line, made once too, in a process that keeps schemas between runs (`memoizeLines`: the daemon):
 * a schema spliced from the last one (an incremental normalization, `incremental.ts`) shares the objects of every
 * table that did not change, whose lines are then not made again. Elsewhere each schema is written once or twice
 * and the per-object memo would only cost.
 */
let lines: WeakMap<object, string> | null = null;
export const memoizeLines = (on: boolean): void => {
  lines = on ? (lines ?? new WeakMap()) : null;
};
const line = (o: object): string => {
  if (!lines) return JSON.stringify(o);
  let text = lines.get(o);
  if (text === undefined) {
    text = JSON.stringify(o);
    lines.set(o, text);
  }
  return text;
};

/** `JSON.parse(schemaJson(s))` deep-equals `s`; keys in `SCHEMA_LISTS` order, each object's own keys as they are. */
export const schemaJson = (schema: Schema): string => {
  let text = rendered.get(schema);
  if (text === undefined) {
    const lists = SCHEMA_LISTS.map((k) => jsonBlock(`${JSON.stringify(k)}: [`, schema[k].map(line), ']'));
    text = jsonBlock('{', [...lists, `"serverVersion": ${JSON.stringify(schema.serverVersion)}`], '}');
    rendered.set(schema, text);
  }
  return text;
};
