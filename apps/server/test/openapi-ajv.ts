import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { OpenApiDocument } from '../src/openapi/openapi-document';

const BASE = 'https://ballast.invalid/components/';

/** A schema of the document with its `#/components/schemas/X` refs made absolute, for ajv. */
const absolute = (schema: unknown): object =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${BASE}`)) as object;

/**
 * ajv (JSON Schema 2020-12, strict) over the document's schemas: each component added under its
 * own id, so inline schemas that refer to them compile as the document states them.
 */
export const documentAjv = (doc: OpenApiDocument) => {
  const ajv = new Ajv2020({
    strict: true,
    strictTypes: false,
    allErrors: true,
    formats: { 'date-time': (s: string) => !Number.isNaN(Date.parse(s)) },
  });
  for (const [name, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(absolute(schema), BASE + name);
  const cache = new Map<string, ValidateFunction>();
  const compile = (schema: unknown): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = cache.get(key);
    if (validate === undefined) cache.set(key, (validate = ajv.compile(absolute(schema))));
    return validate;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const operation = (path: string, method: string): any => {
    const op = (doc.paths as Record<string, Record<string, unknown>>)[path]?.[method.toLowerCase()];
    if (op === undefined) throw new Error(`no operation ${method} ${path} in the document`);
    return op;
  };
  /** ajv's errors for a body against the schema documented for this status (null when it conforms). */
  const responseErrors = (path: string, method: string, status: number, body: unknown) => {
    const response = operation(path, method).responses[String(status)];
    if (response === undefined) return [`status ${status} is not documented for ${method} ${path}`];
    const validate = compile(response.content['application/json'].schema);
    return validate(body) ? null : validate.errors;
  };
  const requestErrors = (path: string, method: string, body: unknown) => {
    const validate = compile(operation(path, method).requestBody.content['application/json'].schema);
    return validate(body) ? null : validate.errors;
  };
  return { ajv, compile, operation, responseErrors, requestErrors };
};
