import { AGGREGATE_KINDS } from '@ballast/engine';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateApiKey } from '../src/api-keys';
import { COMMAND_RULES } from '../src/command-rules';
import { API_VERSION, openApiDocument } from '../src/openapi/openapi-document';
import { COMMAND_KINDS } from '../src/openapi/schemas';
import { documentAjv } from './openapi-ajv';

const doc = openApiDocument();
type Json = Record<string, unknown>;

/** The OpenAPI 3.1 validator (an ES module) run as its own CLI on a file: what it answers. */
const validateOpenApi = (document: unknown): { valid: boolean; errors?: unknown } => {
  const dir = mkdtempSync(join(tmpdir(), 'ballast-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const cli = join(__dirname, '../node_modules/@seriousme/openapi-schema-validator/bin/validate-api-cli.js');
    const run = spawnSync(process.execPath, [cli, file], { encoding: 'utf8' });
    return JSON.parse(run.stdout) as { valid: boolean; errors?: unknown };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, op]) => ({ path, method, op: op as Json })),
);

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator), which a broken copy is not', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(validateOpenApi(doc)).toEqual({ valid: true });
    const broken = { ...doc, paths: { ...doc.paths, '/x': { get: { responses: { 200: { content: {} } } } } } };
    expect(validateOpenApi(broken).valid).toBe(false);
  });

  it('every schema in it compiles with ajv (2020-12, strict), components and inline alike', () => {
    const { compile } = documentAjv(doc);
    const schemas: unknown[] = Object.keys(doc.components.schemas).map((name) => ({
      $ref: `#/components/schemas/${name}`,
    }));
    const inline = (value: unknown): void => {
      if (typeof value !== 'object' || value === null) return;
      for (const [key, v] of Object.entries(value)) {
        if (key === 'schema') schemas.push(v);
        else inline(v);
      }
    };
    inline(doc.paths);
    for (const schema of schemas) expect(() => compile(schema)).not.toThrow();
    expect(schemas.length).toBeGreaterThan(60);
  });

  it('takes each command union from its codec, and lists who may send every command type from COMMAND_RULES', () => {
    for (const [facade, kind] of COMMAND_KINDS) {
      const schema = doc.components.schemas[AGGREGATE_KINDS[kind].commandCodec.name] as {
        title: string;
        oneOf: Json[];
      };
      const types = schema.oneOf.map((member) => (member.properties as Json & { type: { const: string } }).type.const);
      expect(types.sort()).toEqual(Object.keys(COMMAND_RULES[kind]!).sort());
      // `at` is the server's to stamp: no member lets a client send it.
      for (const member of schema.oneOf) expect(Object.keys(member.properties as Json)).not.toContain('at');
      const send = doc.paths[`/v1/${facade}/{id}/commands`]!.post as { description: string; requestBody: unknown };
      for (const type of types) expect(send.description).toMatch(new RegExp(`- \`${type}\`: \\S`));
      expect(send.requestBody).toEqual({
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${schema.title}` } } },
      });
    }
    const escrow = doc.paths['/v1/escrows/{id}/commands']!.post!.description;
    expect(escrow).toContain('- `ExpireEscrow`: nobody over the API');
    expect(escrow).toContain('- `CreateEscrow`: an agent naming itself in `payer`, or an operator naming anyone');
  });

  it('keeps /health, /ready and /openapi.json public and every other operation behind the bearer key', () => {
    expect(doc.security).toEqual([{ bearer: [] }]);
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const publicPaths = operations.filter(({ op }) => Array.isArray(op.security) && op.security.length === 0);
    expect(publicPaths.map(({ path }) => path).sort()).toEqual(['/health', '/openapi.json', '/ready']);
    for (const { op } of operations.filter(({ op }) => op.security === undefined))
      expect(Object.keys(op.responses as Json)).toEqual(expect.arrayContaining(['401', '429']));
  });

  it('has one operationId per operation, and the version and key format of the server', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const pkg = JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string };
    expect(doc.info).toMatchObject({ title: 'Ballast', version: pkg.version });
    expect(API_VERSION).toBe(pkg.version);
    const keyPattern = new RegExp(
      (doc.components.schemas.CreatedKey as { properties: { key: { pattern: string } } }).properties.key.pattern,
    );
    for (let i = 0; i < 50; i++) expect(generateApiKey().token).toMatch(keyPattern);
  });
});
