import type { OpenAPIObject } from '@nestjs/swagger';

type Parameter = { name: string; in: string; description?: string };
type Operation = { responses?: Record<string, unknown>; parameters?: Parameter[] };

const PROBLEM_CONTENT = {
  'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemResponse' } },
};

const problem = (description: string, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: PROBLEM_CONTENT,
});

/** Answers every `/v1` route can give, whatever the route: listed once here rather than on each controller. */
const EVERY_ROUTE = {
  '401': problem('Missing or invalid token.'),
  '429': problem('Rate limited (RATE_LIMIT_PER_MINUTE per user, per IP when anonymous).', {
    'Retry-After': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
    'RateLimit-Limit': { schema: { type: 'integer' } },
    'RateLimit-Remaining': { schema: { type: 'integer' } },
    'RateLimit-Reset': { schema: { type: 'integer' } },
  }),
  '500': problem(
    'Unexpected error, logged with the request id (X-Request-Id); the answer holds no internals.',
  ),
};
const WITH_BODY = { '413': problem('Body over 1 MiB (or a file over ATTACHMENT_MAX_BYTES).') };
const WRITES = {
  '503': problem('Rolled back for a concurrent change (a deadlock): nothing was applied; send it again.', {
    'Retry-After': { description: 'Seconds to wait before retrying.', schema: { type: 'integer' } },
  }),
};

/**
 * Adds the common problem responses to every `/v1` operation that does not declare them itself, and
 * makes every error response of every operation what the filter sends: `application/problem+json` with
 * the problem schema (controllers declare errors with a description, Nest would list them as JSON).
 * Header parameters are listed once, as documented.
 */
export function withCommonProblems(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item as Record<string, Operation>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      if (path.startsWith('/v1/')) {
        const common = {
          ...EVERY_ROUTE,
          ...(['post', 'put', 'patch'].includes(method) ? WITH_BODY : {}),
          ...(method === 'get' ? {} : WRITES),
        };
        operation.responses = { ...common, ...operation.responses };
      }
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (Number(status) >= 400) Object.assign(response as object, { content: PROBLEM_CONTENT });
      }
      if (operation.parameters) operation.parameters = operation.parameters.filter(isDocumentedParameter);
    }
  }
  return document;
}

/**
 * Nest lists each `@Headers('if-match')` argument as a required header of its own, beside the
 * optional one the controller documents (`@ApiHeader`); and OpenAPI ignores an `Authorization`
 * header parameter (the security scheme covers it). Both go.
 */
function isDocumentedParameter(parameter: Parameter, _index: number, all: Parameter[]): boolean {
  if (parameter.in !== 'header') return true;
  const name = parameter.name.toLowerCase();
  if (name === 'authorization') return false;
  return (
    parameter.description !== undefined ||
    !all.some((other) => other !== parameter && other.in === 'header' && other.name.toLowerCase() === name)
  );
}
