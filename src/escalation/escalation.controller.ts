import { Body, Controller, Get, HttpCode, Param, type PipeTransform, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { CurrentViewer, Roles } from '../auth/auth.decorators';
import { AppError } from '../common/errors/app-error';
import { NoNul, NotBlank } from '../common/validation/decorators';
import type { Viewer } from '../auth/roles';
import { ParseIdPipe } from '../common/validation/parse-id.pipe';
import { ProblemResponse, TicketResponse } from '../tickets/dto/ticket.responses';
import type { TicketResult } from '../tickets/tickets.service';
import { EscalationScheduler, type RunReport } from './escalation.scheduler';
import { EscalationService } from './escalation.service';

export class EscalationRequest {
  @ApiProperty({
    minLength: 1,
    maxLength: 2000,
    example: 'Large withdrawal stuck for a VIP',
    description: 'Why: not blank.',
  })
  @IsString()
  @Length(1, 2000)
  @NotBlank()
  @NoNul()
  reason!: string;
}

/** A follow-up takes no fields: an empty object, or no body. */
export class FollowUpRequest {}

/** Unknown body fields are 400 (SPEC §2); a follow-up knows none (class-validator has no empty DTO). */
class NoFieldsPipe implements PipeTransform<unknown, FollowUpRequest> {
  transform(body: unknown): FollowUpRequest {
    if (body === undefined) return {};
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw AppError.validation([{ field: 'body', message: 'must be a JSON object' }]);
    }
    const fields = Object.keys(body);
    if (fields.length > 0) {
      throw AppError.validation(fields.map((field) => ({ field, message: 'is not allowed' })));
    }
    return {};
  }
}

class RunReportResponse {
  @ApiProperty({ format: 'date-time' }) startedAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) finishedAt!: string | null;
  @ApiProperty() ticketsProcessed!: number;
  @ApiProperty() batches!: number;
  @ApiProperty() atRisk!: number;
  @ApiProperty() breaches!: number;
  @ApiProperty() escalations!: number;
  @ApiProperty() autoClosed!: number;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}

class SchedulerStatus {
  @ApiProperty() enabled!: boolean;
  @ApiProperty() intervalSeconds!: number;
  @ApiPropertyOptional({ type: RunReportResponse, nullable: true, description: "This process's last run." })
  lastRun!: RunReport | null;
  @ApiProperty({ description: 'Tickets whose next SLA moment has passed (all processes).' })
  dueBacklog!: number;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) oldestDueAt!: string | null;
  @ApiProperty({ description: 'Seconds since the oldest due moment, by the database clock.' })
  lagSeconds!: number;
}

const TicketId = new ParseIdPipe('Ticket');
const problem = { type: ProblemResponse };

function sendTicket(reply: FastifyReply, result: TicketResult): TicketResponse {
  void reply.header('ETag', result.etag);
  return result.ticket;
}

@ApiTags('escalation')
@Controller()
export class EscalationController {
  constructor(
    private readonly escalation: EscalationService,
    private readonly scheduler: EscalationScheduler,
  ) {}

  /** Raise one level now: priority up, next tier's group, recorded with the reason. */
  @Post('tickets/:id/escalate')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: TicketResponse })
  @ApiBadRequestResponse({ description: 'Missing or blank reason.', ...problem })
  @ApiForbiddenResponse({ description: 'Supervisors and admins only.', ...problem })
  @ApiNotFoundResponse({ description: 'Unknown ticket.', ...problem })
  @ApiConflictResponse({ description: "Already at the policy's maximum level, or closed.", ...problem })
  async escalate(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Body() body: EscalationRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    return sendTicket(reply, await this.escalation.escalate(viewer, id, body.reason));
  }

  /** Lower one level: back to that level's tier group. */
  @Post('tickets/:id/de-escalate')
  @HttpCode(200)
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: TicketResponse })
  @ApiBadRequestResponse({ description: 'Missing or blank reason.', ...problem })
  @ApiForbiddenResponse({ description: 'Supervisors and admins only.', ...problem })
  @ApiNotFoundResponse({ description: 'Unknown ticket.', ...problem })
  @ApiConflictResponse({ description: 'Not escalated, or closed.', ...problem })
  async deEscalate(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Body() body: EscalationRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    return sendTicket(reply, await this.escalation.deEscalate(viewer, id, body.reason));
  }

  /** The requester's "no reply yet?": escalates one level once the reply target is breached (VIP: half of it). */
  @Post('tickets/:id/follow-up')
  @HttpCode(200)
  @Roles('customer')
  @ApiOkResponse({ type: TicketResponse })
  @ApiBody({ type: FollowUpRequest, required: false })
  @ApiBadRequestResponse({ description: 'A body with any field.', ...problem })
  @ApiForbiddenResponse({ description: 'Only the requester.', ...problem })
  @ApiNotFoundResponse({ description: 'Unknown, or not the caller’s.', ...problem })
  @ApiConflictResponse({
    description:
      'Too early: `allowedAt` tells when a follow-up becomes possible (null if no reply is awaited).',
    ...problem,
  })
  async followUp(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    // Checked (any field is 400), never read.
    @Body(new NoFieldsPipe()) _body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<TicketResponse> {
    return sendTicket(reply, await this.escalation.followUp(viewer, id));
  }

  /** The escalation scheduler: this process's last run, the shared due backlog and its lag. */
  @Get('scheduler/status')
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: SchedulerStatus })
  @ApiForbiddenResponse({ description: 'Supervisors and admins only.', ...problem })
  async status(): Promise<SchedulerStatus> {
    const backlog = await this.escalation.backlog();
    return {
      enabled: this.scheduler.enabled,
      intervalSeconds: this.scheduler.intervalSeconds,
      lastRun: this.scheduler.lastRun,
      dueBacklog: backlog.due,
      oldestDueAt: backlog.oldestDueAt && new Date(backlog.oldestDueAt).toISOString(),
      lagSeconds: Math.max(0, Math.round(backlog.lagSeconds)),
    };
  }
}
