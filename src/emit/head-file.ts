/**
 * Writes `generated/head.json` (`load/head-file.ts` reads it): deterministic and reviewable, one unit hash and one
 * schema object (a table with its columns and constraints, an index, a dependency) per line, so a migration's diff
 * of the file shows the objects it changed. Lists are in the model's order (`sortedSchema`); an object's keys stay
 * in the introspector's order, which the differ relies on where it compares objects as JSON text.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { HEAD_FILE, writtenHead, type HeadFile } from '../load/head-file.js';
import { jsonBlock as block, schemaJson } from '../model/schema-json.js';

export const renderHeadFile = (h: HeadFile): string => {
  const units = Object.keys(h.units).sort().map((k) => `${JSON.stringify(k)}: ${JSON.stringify(h.units[k])}`);
  const top = [
    `"format": ${JSON.stringify(h.format)}`,
    `"keikaku": ${JSON.stringify(h.keikaku)}`,
    `"model": ${JSON.stringify(h.model)}`,
    `"pglite": ${JSON.stringify(h.pglite)}`,
    `"postgres": ${JSON.stringify(h.postgres)}`,
    `"history": ${JSON.stringify(h.history)}`,
    `"context": ${JSON.stringify(h.context)}`,
    `"script": ${JSON.stringify(h.script)}`,
    `"extensions": ${JSON.stringify(h.extensions)}`,
    block('"units": {', units, '}'),
    `"schema": ${schemaJson(h.schema)}`,
  ];
  return `${block('{', top, '}')}\n`;
};

/** Writes the head file, or removes it (`null`: the new head is not known as the embedded shadow makes it). */
export const writeHeadFile = (generatedDir: string, head: HeadFile | null): void => {
  const path = join(generatedDir, HEAD_FILE);
  if (head) {
    const text = renderHeadFile(head);
    writeFileSync(path, text);
    writtenHead(text, head);
  } else rmSync(path, { force: true });
};
