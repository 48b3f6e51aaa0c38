/** `verify` reports as text for people and JSON for scripts. */
import { terminalBlock, terminalText as t } from '../model/escape.js';
import type { VerifyReport, VerifyStage } from './index.js';

const STAGE_TEXT: Record<VerifyStage, string> = {
  up: 'its up files fail to run',
  head: 'after it, the schema is not the one generated/schema.sql records',
  'head-file': 'generated/head.json does not record the schema it makes (delete the file and run `keikaku generate`, which writes it again)',
  down: 'its down does not bring back the schema before it',
  'up-again': 'up after down does not reach the schema its first up reached',
};

export const formatVerifyText = (r: VerifyReport): string => {
  if (r.problems.length)
    return `keikaku verify: refused, the migration history is not intact or not linear:\n${r.problems.map((p) => `  ${p.code}: ${t(p.message)}`).join('\n')}\n`;
  const lines = [`keikaku verify: ${r.migrations.length} migration(s), up → down → up in ${r.shadow}`];
  for (const id of r.verified) lines.push(`  ok    ${id}`);
  if (r.failure) {
    const f = r.failure;
    lines.push(`  FAIL  ${f.migration}: ${STAGE_TEXT[f.stage]}`);
    if (f.error) lines.push(...terminalBlock(f.error).split('\n').map((l) => `        ${l}`));
    for (const d of f.differences) lines.push(`        ${t(d)}`);
    if (f.irreversible.length) lines.push(`        (its plan marks ${f.irreversible.length} step(s) IRREVERSIBLE: ${t(f.irreversible.join('; '))})`);
    const rest = r.migrations.length - r.verified.length - 1;
    if (rest > 0) lines.push(`  (${rest} later migration(s) not verified)`);
    lines.push('', f.stage === 'head-file' ? 'Every migration round-trips; generated/head.json is wrong.' : `${f.migration} does not round-trip.`);
  } else {
    lines.push(r.headCompared ? '  ok    the head equals generated/schema.sql' : '  (no generated/schema.sql: the head was not compared with it)');
    if (r.headFileCompared) lines.push('  ok    the head equals generated/head.json');
    lines.push('', `All ${r.migrations.length} migration(s) round-trip.`);
  }
  return `${lines.join('\n')}\n`;
};

export const formatVerifyJson = (r: VerifyReport): string => `${JSON.stringify(r, null, 2)}\n`;
