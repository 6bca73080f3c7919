import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPreconditionFailedResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentViewer } from '../auth/auth.decorators';
import type { Viewer } from '../auth/roles';
import type { StoredResponse } from '../common/idempotency/idempotency.service';
import { PageQuery } from '../common/validation/list-query';
import { ParseIdPipe } from '../common/validation/parse-id.pipe';
import {
  CreateMessageRequest,
  CreateTicketRequest,
  ListTicketsQuery,
  SatisfactionRequest,
  UpdateTicketRequest,
} from './dto/ticket.requests';
import {
  EventPage,
  MessagePage,
  MessageResponse,
  ProblemResponse,
  TicketPage,
  TicketResponse,
} from './dto/ticket.responses';
import { TicketsService, type TicketResult } from './tickets.service';

const TicketId = new ParseIdPipe('Ticket');
const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description:
    'Retries with the same key and body replay the first response (Idempotent-Replayed: true) for 24 h.',
};
const problem = { type: ProblemResponse };

function sendStored<T>(reply: FastifyReply, stored: StoredResponse<T>): T {
  void reply.status(stored.status);
  if (stored.replayed) void reply.header('Idempotent-Replayed', 'true');
  return stored.body;
}

function sendTicket(reply: FastifyReply, result: TicketResult): TicketResponse {
  void reply.header('ETag', result.etag);
  return result.ticket;
}

@ApiTags('tickets')
@ApiUnauthorizedResponse({ description: 'Missing or invalid token.', ...problem })
@Controller('tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  /** Open a ticket (a customer for themselves, or an agent for a customer with requesterId). */
  @Post()
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: TicketResponse })
  @ApiBadRequestResponse({ description: 'Invalid fields, each listed in errors.', ...problem })
  @ApiConflictResponse({ description: 'Idempotency-Key reused with a different body.', ...problem })
  async create(
    @CurrentViewer() viewer: Viewer,
    @Body() body: CreateTicketRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') key?: string,
  ): Promise<TicketResponse> {
    return sendStored(reply, await this.tickets.create(viewer, body, key));
  }

  /** Tickets the caller may see (customers: their own), filtered, searched and keyset-paginated. */
  @Get()
  @ApiOkResponse({ type: TicketPage })
  @ApiBadRequestResponse({ description: 'Invalid filter, limit or cursor.', ...problem })
  list(@CurrentViewer() viewer: Viewer, @Query() query: ListTicketsQuery): Promise<TicketPage> {
    return this.tickets.list(viewer, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: TicketResponse, headers: { ETag: { description: 'Strong: "<version>"' } } })
  @ApiNotFoundResponse({ description: 'Unknown, or not the caller’s.', ...problem })
  async get(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    return sendTicket(reply, await this.tickets.get(viewer, id));
  }

  /** Change status, priority, category, assignee, group or tags (customers: status solved only). */
  @Patch(':id')
  @ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The ETag read; 412 if the ticket changed since.',
  })
  @ApiOkResponse({ type: TicketResponse })
  @ApiBadRequestResponse({ description: 'Invalid fields.', ...problem })
  @ApiForbiddenResponse({ description: 'A field the caller’s role may not change.', ...problem })
  @ApiNotFoundResponse({ description: 'Unknown, or not the caller’s.', ...problem })
  @ApiConflictResponse({ description: 'Invalid status transition.', ...problem })
  @ApiPreconditionFailedResponse({ description: 'If-Match does not match.', ...problem })
  async update(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Body() body: UpdateTicketRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ): Promise<TicketResponse> {
    return sendTicket(reply, await this.tickets.update(viewer, id, body, ifMatch));
  }

  /** Reply publicly or add an internal note (agents); a customer's reply reopens pending/solved tickets. */
  @Post(':id/messages')
  @ApiHeader(IDEMPOTENCY_HEADER)
  @ApiCreatedResponse({ type: MessageResponse })
  @ApiBadRequestResponse({ description: 'Invalid fields.', ...problem })
  @ApiNotFoundResponse({ description: 'Unknown, or not the caller’s.', ...problem })
  @ApiConflictResponse({
    description: 'The ticket is closed, or the Idempotency-Key was reused.',
    ...problem,
  })
  async addMessage(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Body() body: CreateMessageRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('idempotency-key') key?: string,
  ): Promise<MessageResponse> {
    return sendStored(reply, await this.tickets.addMessage(viewer, id, body, key));
  }

  /** The conversation in order; customers see public messages only. */
  @Get(':id/messages')
  @ApiOkResponse({ type: MessagePage })
  @ApiNotFoundResponse({ description: 'Unknown, or not the caller’s.', ...problem })
  listMessages(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Query() query: PageQuery,
  ): Promise<MessagePage> {
    return this.tickets.listMessages(viewer, id, query);
  }

  /** Every change in order; customers see the customer-safe subset. */
  @Get(':id/events')
  @ApiOkResponse({ type: EventPage })
  @ApiNotFoundResponse({ description: 'Unknown, or not the caller’s.', ...problem })
  listEvents(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Query() query: PageQuery,
  ): Promise<EventPage> {
    return this.tickets.listEvents(viewer, id, query);
  }

  /** The requester rates a solved or closed ticket, once. */
  @Post(':id/satisfaction')
  @HttpCode(201)
  @ApiCreatedResponse({ type: TicketResponse })
  @ApiBadRequestResponse({ description: 'Rating outside 1–5.', ...problem })
  @ApiForbiddenResponse({ description: 'Not the requester.', ...problem })
  @ApiNotFoundResponse({ description: 'Unknown, or not the caller’s.', ...problem })
  @ApiConflictResponse({ description: 'Not solved or closed yet, or already rated.', ...problem })
  async rate(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Body() body: SatisfactionRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    return sendTicket(reply, await this.tickets.rate(viewer, id, body));
  }
}
