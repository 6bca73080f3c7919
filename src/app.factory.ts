import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { type FastifyError, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import type { Logger as Pino } from 'pino';
import { AppModule } from './app.module';
import type { Clock } from './common/clock/clock';
import { MAX_JSON_DEPTH, memberNestedTooDeep } from './common/validation/json-depth';
import { createValidationPipe } from './common/validation/validation';
import { AppError } from './common/errors/app-error';
import { withCommonProblems } from './common/errors/openapi-problems';
import { sendProblem } from './common/errors/problem.filter';
import type { AppConfig } from './config/app-config';
import { createLogger, PinoNestLogger, redactUrl } from './observability/logger';
import { Metrics } from './observability/metrics';
import { installRateLimit } from './rate-limit/rate-limit.hook';

export const JSON_BODY_LIMIT = 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface CreateAppOptions {
  /** A pino instance to log to (tests capture logs this way); one is created from the config otherwise. */
  logger?: Pino;
  /** The clock rules read (tests move it); the system clock otherwise. */
  clock?: Clock;
}

/** Builds the configured application without listening: used by main.ts, the tests and the benchmarks. */
export async function createApp(
  config: AppConfig,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const pino = options.logger ?? createLogger(config);
  const adapter = new FastifyAdapter({
    loggerInstance: pino,
    // One line per request is written by the onResponse hook below, with the URL's secrets removed.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: JSON_BODY_LIMIT,
    maxParamLength: 256,
    requestIdHeader: false,
    genReqId: (request: { headers: Record<string, string | string[] | undefined> }) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    // Only the configured proxies' X-Forwarded-For counts: a client cannot name its own address.
    trustProxy:
      typeof config.TRUST_PROXY === 'number'
        ? (_address: string, hop: number) => hop < (config.TRUST_PROXY as number)
        : config.TRUST_PROXY,
    // The router's own refusals (a malformed percent-encoding, a path parameter over maxParamLength)
    // are answered before any hook runs: as problems, with the request id, like every other error.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      void reply.header('X-Request-Id', request.id);
      sendProblem(error, request, reply);
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Issue 6: @fastify/multipart for attachment uploads, read as a stream by the route (no buffering).
    // Names are UTF-8 as browsers send them; one file, a few small fields.
    multipart: {
      limits: { fileSize: config.ATTACHMENT_MAX_BYTES, files: 1, fields: 5, fieldSize: 1024, parts: 10 },
      defParamCharset: 'utf8',
    },
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, options.clock),
    adapter,
    {
      logger: new PinoNestLogger(pino),
      abortOnError: false,
    },
  );

  app.setGlobalPrefix('v1', { exclude: ['health/live', 'health/ready', 'metrics'] });
  app.useGlobalPipes(createValidationPipe());
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  const { httpDuration } = app.get(Metrics);
  fastify.addHook('onRequest', async (request, reply) => {
    void reply.header('X-Request-Id', request.id);
  });
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    httpDuration.observe(
      { method: request.method, route, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    request.log.info(
      {
        req: { method: request.method, url: redactUrl(request.url), id: request.id },
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
  });

  // A body nested deeper than any DTO is refused before the validation pipe recurses into it.
  fastify.addHook('preValidation', async (request, reply) => {
    const member = memberNestedTooDeep(request.body);
    if (member === undefined) return;
    sendProblem(
      AppError.validation(
        [{ field: member, message: `must not be nested more than ${MAX_JSON_DEPTH} levels deep` }],
        'The request body is nested too deeply.',
      ),
      request,
      reply,
    );
    return reply;
  });

  // Issue 8: limits run as an onRequest hook, before the body is read and before any guard.
  installRateLimit(app);

  mountOpenApi(app);
  await app.init();
  return app;
}

function mountOpenApi(app: NestFastifyApplication): void {
  const document = withCommonProblems(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('sla-desk')
        .setDescription(
          'Ticketing and SLA-tracking API of the exchange support desk. Errors are RFC 9457 problem details ' +
            '(application/problem+json). Authenticate with `Authorization: Bearer <JWT>`.',
        )
        .setVersion('1')
        .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
        .addSecurityRequirements('bearer')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
