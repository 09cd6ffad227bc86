/**
 * Test helper: validates rendered Kubernetes objects against the upstream CRD schemas in
 * `../shared/crds` (beside the repository; never copied into it), as strictly as the API
 * server's strict field validation: unknown fields are errors.
 */
import fs from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** Relative to this file, so it works wherever CI clones the repository (shared/ is beside it). */
export const CRD_DIR = path.resolve(__dirname, '../../../../../shared/crds');

export interface CrdValidator {
  /** Human-readable errors; empty when the object is valid. */
  validate(object: unknown): string[];
}

type Schema = Record<string, unknown>;

const isRecord = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const DNS1123_SUBDOMAIN =
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';

/** CRD schemas declare the top-level metadata as a bare `type: object`; the API server checks ObjectMeta itself. */
const OBJECT_META: Schema = {
  type: 'object',
  required: ['name'], // GitOps-applied objects need a fixed name
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 253, pattern: DNS1123_SUBDOMAIN },
    namespace: { type: 'string' },
    generateName: { type: 'string' },
    labels: {
      type: 'object',
      additionalProperties: {
        type: 'string',
        maxLength: 63,
        pattern: LABEL_VALUE,
      },
    },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
  },
};

/** Rewrites one OpenAPI v3 (structural) schema node into plain JSON Schema for Ajv. */
function toJsonSchema(
  node: Schema,
  knownFormat: (format: unknown) => boolean,
): Schema {
  const convert = (child: unknown) =>
    isRecord(child) ? toJsonSchema(child, knownFormat) : child;
  const out: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    // Kubernetes extensions and `nullable` are handled below; unknown formats would make Ajv warn.
    if (key.startsWith('x-kubernetes-') || key === 'nullable') continue;
    if (key === 'format' && !knownFormat(value)) continue;
    if (key === 'properties' && isRecord(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([name, child]) => [name, convert(child)]),
      );
    } else if (['items', 'additionalProperties', 'not'].includes(key)) {
      out[key] = convert(value);
    } else if (
      ['anyOf', 'allOf', 'oneOf'].includes(key) &&
      Array.isArray(value)
    ) {
      out[key] = value.map(convert);
    } else {
      out[key] = value; // data (enum, default, description, ...) is copied as is
    }
  }
  if (node['x-kubernetes-int-or-string'] === true) {
    out.type = ['integer', 'string'];
    delete out.anyOf; // the CRD's `anyOf: [integer, string]` only repeats the type, with noisier errors
  }
  if (node['x-kubernetes-embedded-resource'] === true) {
    const embedded = {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
    };
    out.properties = {
      ...embedded,
      ...(isRecord(out.properties) ? out.properties : {}),
    };
  }
  if (node.nullable === true && out.type !== undefined) {
    out.type = [out.type, 'null'].flat();
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
  }
  // Strict field validation: fields not declared are errors unless the schema keeps unknown fields.
  if (
    out.properties !== undefined &&
    node['x-kubernetes-preserve-unknown-fields'] !== true &&
    !('additionalProperties' in node)
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** `group/version` + kind → the version's openAPIV3Schema, from every CRD file in the folder. */
function readCrdSchemas(): Map<string, Schema> {
  const schemas = new Map<string, Schema>();
  for (const file of fs.readdirSync(CRD_DIR).filter(f => f.endsWith('.yaml'))) {
    const crd: unknown = parse(
      fs.readFileSync(path.join(CRD_DIR, file), 'utf8'),
    );
    const spec = isRecord(crd) ? crd.spec : undefined;
    if (
      !isRecord(spec) ||
      !isRecord(spec.names) ||
      !Array.isArray(spec.versions)
    ) {
      throw new Error(`${file} is not a CustomResourceDefinition`);
    }
    for (const version of spec.versions) {
      const schema: unknown =
        isRecord(version) && isRecord(version.schema)
          ? version.schema.openAPIV3Schema
          : undefined;
      if (isRecord(schema))
        schemas.set(
          `${String(spec.group)}/${String(version.name)}/${String(spec.names.kind)}`,
          schema,
        );
    }
  }
  return schemas;
}

function formatError(label: string, error: ErrorObject): string {
  const where = error.instancePath || '/';
  const {
    additionalProperty,
    allowedValues,
  }: { additionalProperty?: unknown; allowedValues?: unknown } = error.params;
  let detail = '';
  if (additionalProperty !== undefined)
    detail = ` (${String(additionalProperty)})`;
  else if (Array.isArray(allowedValues))
    detail = ` (${allowedValues.map(v => JSON.stringify(v)).join(', ')})`;
  return `${label}: ${where}: ${error.message ?? error.keyword}${detail}`;
}

function createCrdValidator(): CrdValidator {
  const schemas = readCrdSchemas();
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  // Kubernetes integer formats: int32 is range-checked, int64 is any integer (`type: integer` checks that).
  ajv.addFormat('int32', {
    type: 'number',
    validate: (n: number) => n >= -(2 ** 31) && n < 2 ** 31,
  });
  ajv.addFormat('int64', true);
  const knownFormat = (format: unknown) =>
    typeof format === 'string' && ajv.formats[format] !== undefined;
  const compiled = new Map<string, ValidateFunction>();

  return {
    validate(object) {
      if (!isRecord(object)) return ['object is not a mapping'];
      const { apiVersion, kind, metadata } = object;
      const name =
        isRecord(metadata) && typeof metadata.name === 'string'
          ? metadata.name
          : '<unnamed>';
      const label = `${String(kind)} ${name}`;
      const key = `${String(apiVersion)}/${String(kind)}`;
      let check = compiled.get(key);
      if (check === undefined) {
        const schema = schemas.get(key);
        if (schema === undefined) {
          return [
            `${label}: no CRD schema for apiVersion ${String(apiVersion)}, kind ${String(kind)} in ${CRD_DIR}`,
          ];
        }
        // Compiled on first use: the ApplicationSet schema alone takes seconds.
        const root = toJsonSchema(schema, knownFormat);
        const required = Array.isArray(root.required) ? root.required : [];
        const properties = isRecord(root.properties) ? root.properties : {};
        check = ajv.compile({
          ...root,
          required: [
            ...new Set(['apiVersion', 'kind', 'metadata', ...required]),
          ],
          properties: { ...properties, metadata: OBJECT_META },
        });
        compiled.set(key, check);
      }
      return check(object)
        ? []
        : (check.errors ?? []).map(error => formatError(label, error));
    },
  };
}

let cached: CrdValidator | undefined;

/** The shared validator; the CRD files are read once per test process. */
export function loadCrdValidator(): CrdValidator {
  cached ??= createCrdValidator();
  return cached;
}

/** Throws an Error listing every schema error of the object (for use inside jest tests). */
export function expectValidAgainstCrd(object: unknown): void {
  const errors = loadCrdValidator().validate(object);
  if (errors.length > 0)
    throw new Error(
      `Object does not match its CRD schema:\n  ${errors.join('\n  ')}`,
    );
}
