import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/auth.decorators';
import { PageQuery } from '../common/validation/list-query';
import { ParseIdPipe } from '../common/validation/parse-id.pipe';
import { ProblemResponse } from '../tickets/dto/ticket.responses';
import { CreateWebhookRequest, UpdateWebhookRequest } from './dto/webhook.requests';
import {
  CreatedWebhookResponse,
  DeliveryAttemptPage,
  WebhookPage,
  WebhookResponse,
} from './dto/webhook.responses';
import { WebhooksService } from './webhooks.service';

const WebhookId = new ParseIdPipe('Webhook');
const problem = { type: ProblemResponse };
const ADMIN_ONLY = { description: 'The caller is not an admin.', ...problem };
const NOT_FOUND = { description: 'No such webhook.', ...problem };
const BAD_URL =
  'Invalid fields, each listed in errors; `url` when it is not http(s) or its host is or resolves to a ' +
  'loopback, private, link-local, unique-local, CGNAT, multicast or unspecified address, or an IPv6 ' +
  'address outside 2000::/3 such as [::127.0.0.1] (unless WEBHOOK_ALLOW_PRIVATE=true), or when it ' +
  'carries credentials (user:password@).';

@ApiTags('webhooks')
@ApiUnauthorizedResponse({ description: 'Missing or invalid token.', ...problem })
@ApiForbiddenResponse(ADMIN_ONLY)
@Roles('admin')
@Controller('webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Get()
  @ApiOperation({ summary: 'Webhook endpoints, oldest first' })
  @ApiOkResponse({ type: WebhookPage })
  @ApiBadRequestResponse({ description: 'Invalid limit or cursor.', ...problem })
  list(@Query() query: PageQuery): Promise<WebhookPage> {
    return this.webhooks.list(query);
  }

  @Post()
  @ApiOperation({
    summary: 'Register an endpoint',
    description:
      'The response is the only one that shows the signing secret (generated when not given). Each ' +
      'event is POSTed as `{id, type, createdAt, data: {ticket}}`, signed in X-Signature; ' +
      '`ticket.message_created` adds `data.message: {id, visibility, authorRole, createdAt}` ' +
      '(`visibility` tells an internal note from a public reply; the text is not sent).',
  })
  @ApiCreatedResponse({
    type: CreatedWebhookResponse,
    headers: { ETag: { description: 'Strong: "<version>"' } },
  })
  @ApiBadRequestResponse({ description: BAD_URL, ...problem })
  async create(
    @Body() body: CreateWebhookRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedWebhookResponse> {
    const { webhook, etag } = await this.webhooks.create(body);
    void reply.header('ETag', etag);
    return webhook;
  }

  @Get(':id')
  @ApiOperation({ summary: 'One endpoint (without its secret)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: WebhookResponse, headers: { ETag: { description: 'Strong: "<version>"' } } })
  @ApiNotFoundResponse(NOT_FOUND)
  async get(
    @Param('id', WebhookId) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<WebhookResponse> {
    const { webhook, etag } = await this.webhooks.get(id);
    void reply.header('ETag', etag);
    return webhook;
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an endpoint: url, events, active, or rotate the secret' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The ETag read; 412 if it changed since.' })
  @ApiOkResponse({ type: WebhookResponse })
  @ApiBadRequestResponse({ description: BAD_URL, ...problem })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiPreconditionFailedResponse({ description: 'If-Match does not match.', ...problem })
  async update(
    @Param('id', WebhookId) id: string,
    @Body() body: UpdateWebhookRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ): Promise<WebhookResponse> {
    const { webhook, etag } = await this.webhooks.update(id, body, ifMatch);
    void reply.header('ETag', etag);
    return webhook;
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an endpoint, its pending deliveries and its attempt log' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiNotFoundResponse(NOT_FOUND)
  async remove(@Param('id', WebhookId) id: string): Promise<void> {
    await this.webhooks.remove(id);
  }

  @Get(':id/deliveries')
  @ApiOperation({
    summary: 'Delivery attempts to an endpoint, newest first',
    description: 'Each attempt with its event, status code, duration, error and outcome.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: DeliveryAttemptPage })
  @ApiBadRequestResponse({ description: 'Invalid limit or cursor.', ...problem })
  @ApiNotFoundResponse(NOT_FOUND)
  deliveries(@Param('id', WebhookId) id: string, @Query() query: PageQuery): Promise<DeliveryAttemptPage> {
    return this.webhooks.deliveries(id, query);
  }
}
