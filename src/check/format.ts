/** `check` reports as text for people, JSON for scripts, and GitHub workflow commands for annotations. */
import { githubData, githubProperty, terminalBlock, terminalText as t } from '../model/escape.js';
import type { CheckReport, Finding, SectionState } from './types.js';

const where = (f: Finding) => (f.location ? `${t(f.location.file)}:${f.location.line}:${f.location.col}: ` : '');

const SECTION_TEXT: Record<SectionState, string> = { ok: 'ok', failed: 'FAILED', skipped: 'skipped' };

const verdict = (r: CheckReport): string => {
  const errors = r.findings.filter((f) => f.level === 'error').length;
  const warnings = r.findings.length - errors;
  const tail = warnings ? ` (${warnings} warning(s))` : '';
  if (r.exitCode === 0) return `In sync.${tail}`;
  if (r.exitCode === 3) return `Refused: the migration history is not intact or not linear (${errors} problem(s)).${tail}`;
  return `${errors} difference(s) found.${tail}`;
};

export const formatText = (r: CheckReport): string => {
  const lines = [
    `keikaku check: ${r.migrations} migration(s)`,
    `  history   ${SECTION_TEXT[r.sections.history]}`,
    `  schema/   ${SECTION_TEXT[r.sections.schema]}`,
    `  database  ${r.target ? `${SECTION_TEXT[r.sections.database]}  ${r.target}` : 'skipped (no --database-url)'}`,
  ];
  if (r.normalization && r.sections.database !== 'skipped') lines.push(`            compared as: ${r.normalization}`);
  if (r.findings.length) lines.push('');
  for (const f of r.findings) {
    lines.push(`${where(f)}${f.level} ${f.rule}: ${t(f.message)}`);
    if (f.fix?.length) lines.push('    to bring it back:', ...f.fix.flatMap((s) => terminalBlock(s).split('\n')).map((s) => `      ${s}`));
  }
  lines.push('', verdict(r));
  return `${lines.join('\n')}\n`;
};

export const formatJson = (r: CheckReport): string => `${JSON.stringify(r, null, 2)}\n`;


/**
 * `::error file=…,line=…,col=…,title=…::message` per finding (GitHub shows it on the file and line of the pull
 * request), then the verdict as a plain log line.
 */
export const formatGithub = (r: CheckReport): string => {
  const lines = r.findings.map((f) => {
    const props = [
      ...(f.location ? [`file=${githubProperty(f.location.file)}`, `line=${f.location.line}`, `col=${f.location.col}`] : []),
      `title=${githubProperty(`keikaku ${f.rule}`)}`,
    ];
    // The message is one line of text from names; the fix is SQL whose own line breaks GitHub shows.
    const text = f.fix?.length ? `${t(f.message)}\nto bring it back:\n${f.fix.join('\n')}` : t(f.message);
    return `::${f.level} ${props.join(',')}::${githubData(text)}`;
  });
  lines.push(`keikaku check: ${verdict(r)}`);
  return `${lines.join('\n')}\n`;
};
