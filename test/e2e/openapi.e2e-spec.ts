import { TestApp } from '../support/test-app';

type Response = { content?: Record<string, { schema?: { $ref?: string } }> };
type Parameter = { name: string; in: string; required?: boolean };
type Operation = { responses: Record<string, Response>; parameters?: Parameter[] };

/** What integrators generate clients from: every error is documented as the filter sends it. */
describe('OpenAPI error responses', () => {
  let t: TestApp;
  let paths: Record<string, Record<string, Operation>>;

  beforeAll(async () => {
    t = await TestApp.start();
    paths = (await t.http().get('/docs/openapi.json').expect(200)).body.paths;
  });
  afterAll(() => t.close());

  it('documents every 4xx and 5xx of every operation as application/problem+json with the problem schema', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400) continue;
          checked += 1;
          const types = Object.keys(response.content ?? {});
          const ref = response.content?.['application/problem+json']?.schema?.$ref;
          if (types.join() !== 'application/problem+json' || ref !== '#/components/schemas/ProblemResponse') {
            wrong.push(`${method.toUpperCase()} ${path} ${status}: ${types.join() || 'no content'}`);
          }
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(200);
  });

  it('documents the statuses each ticket operation can answer', () => {
    const codes = (path: string, method: string) => Object.keys(paths[path][method].responses).sort();
    expect(codes('/v1/tickets', 'post')).toEqual(
      expect.arrayContaining(['201', '400', '401', '409', '413', '429', '500', '503']),
    );
    expect(codes('/v1/tickets/{id}', 'patch')).toEqual(
      expect.arrayContaining(['200', '400', '403', '404', '409', '412', '503']),
    );
    expect(codes('/v1/tickets/{id}', 'get')).not.toContain('503');
  });

  it('lists each header parameter once, optional where the API treats it so, and no Authorization header', () => {
    const headers = (path: string, method: string) =>
      (paths[path][method].parameters ?? [])
        .filter((parameter) => parameter.in === 'header')
        .map((parameter) => [parameter.name, parameter.required ?? false]);
    expect(headers('/v1/tickets/{id}', 'patch')).toEqual([['If-Match', false]]);
    expect(headers('/v1/groups/{id}', 'patch')).toEqual([['If-Match', false]]);
    expect(headers('/v1/tickets', 'post')).toEqual([['Idempotency-Key', false]]);
    expect(headers('/metrics', 'get')).toEqual([]);
  });
});
