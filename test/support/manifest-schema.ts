/**
 * Validates a Slack app manifest against Slack's published JSON Schema (test/fixtures/slack-app-manifest.schema.json,
 * copied from /work/shared/schemas/slack-app-manifest.schema.1.0.0.json, MIT, see slack-app-manifest.LICENSE).
 *
 * The schema declares `"$schema": "http://json-schema.org/draft-07/schema#"`, so the default `Ajv` class (draft-07)
 * is the right one, not ajv/dist/2019 or 2020. It carries non-standard keywords (`_note`, and `regex` on
 * app_directory.background_color, which Ajv does not enforce; `pattern` is the standard one), hence
 * `strict: false`. It uses a single format, `uri` (on the top-level `$schema` property); ajv-formats is not
 * installed, so `uri` is added by hand below.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const SCHEMA_URL = new URL('../fixtures/slack-app-manifest.schema.json', import.meta.url);

/** RFC 3986 absolute URI: a scheme, then something WHATWG URL can parse. */
function isUri(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(SCHEMA_URL, 'utf8')) as Record<string, unknown>;
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('uri', { type: 'string', validate: isUri });
    validator = ajv.compile(schema);
  }
  return validator;
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? '(root)' : e.instancePath;
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'additionalProperties') return `${where}: unknown property "${String(params.additionalProperty)}"`;
  if (e.keyword === 'required') return `${where}: missing required property "${String(params.missingProperty)}"`;
  return `${where}: ${e.message ?? e.keyword}`;
}

/** Errors of `manifest` against Slack's app manifest schema; empty when valid. */
export function validateSlackManifest(manifest: unknown): string[] {
  const validate = getValidator();
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(describe);
}
