/**
 * Validates a SARIF log against the official OASIS SARIF 2.1.0 JSON schema (vendored beside this file, see
 * sarif-schema-2.1.0.NOTICE.md). The schema is JSON Schema draft-04, hence ajv-draft-04; formats (uri,
 * uri-reference, date-time) are checked too, with ajv-formats.
 */
import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import formats from 'ajv-formats';

// Both are CommonJS with a `default` export; under NodeNext the default import is the module object.
const Ajv = AjvDraft04.default;
const addFormats = formats.default;

const schema = JSON.parse(readFileSync(new URL('./sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;

let validate: ValidateFunction | undefined;

/** The schema's errors for `log` (as `path message` lines), empty when it is valid. */
export const sarifErrors = (log: unknown): string[] => {
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validate = ajv.compile(schema);
  }
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
};
