/**
 * `check --format sarif`: a SARIF 2.1.0 log (OASIS), one run of keikaku with the rule catalog and one result per
 * finding, for code-scanning uploads. Locations are relative to the repository root.
 */
import { CHECK_RULES, type CheckReport, type CheckRule, type Finding } from './types.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

const RULE_IDS = Object.keys(CHECK_RULES) as CheckRule[];

/** `drift-added` → `DriftAdded`: the readable rule name SARIF viewers show. */
const ruleName = (id: string) => id.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

/** A relative path as a URI reference: spaces and the like percent-encoded, and `?`/`#` too (not a query or fragment). */
const fileUri = (path: string) => encodeURI(path).replace(/[?#]/g, (c) => encodeURIComponent(c));

const result = (f: Finding) => ({
  ruleId: f.rule,
  ruleIndex: RULE_IDS.indexOf(f.rule),
  level: f.level,
  message: { text: f.fix?.length ? `${f.message}. To bring it back: ${f.fix.join(' ')}` : f.message },
  ...(f.location
    ? {
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: fileUri(f.location.file), uriBaseId: '%SRCROOT%' },
              region: { startLine: f.location.line, startColumn: f.location.col },
            },
          },
        ],
      }
    : {}),
  ...(f.object || f.fix ? { properties: { ...(f.object ? { object: f.object } : {}), ...(f.fix ? { fix: f.fix } : {}) } } : {}),
});

export const formatSarif = (r: CheckReport, toolVersion: string): string => {
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keikaku',
            version: toolVersion,
            rules: RULE_IDS.map((id) => ({
              id,
              name: ruleName(id),
              shortDescription: { text: CHECK_RULES[id].summary },
              help: { text: CHECK_RULES[id].help },
              defaultConfiguration: { level: id === 'lint' ? 'warning' : 'error' },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        invocations: [{ executionSuccessful: true, exitCode: r.exitCode }],
        results: r.findings.map(result),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
