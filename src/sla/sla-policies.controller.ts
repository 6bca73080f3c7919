import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Res,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import type { FastifyReply } from 'fastify';
import { AppError } from '../common/errors/app-error';
import { ApiIfMatch, ETAG_HEADER, sendEtag } from '../common/http/etag';
import {
  CreateSlaPolicyDto,
  SlaPolicyListResponse,
  SlaPolicyResponse,
  toSlaPolicyResponse,
  UpdateSlaPolicyDto,
} from './dto/sla-policy.dto';
import { SlaPoliciesService } from './sla-policies.service';

/** A malformed id names no policy: 404, as an unknown one. */
const PolicyId = () =>
  Param('id', new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('SLA policy') }));

const INVALID =
  'Invalid fields, each listed in `errors` by path (`targets.firstResponseMinutes`); an unknown calendar ' +
  'is an error on `calendarId`, an unknown category on `conditions.categories`.';
const ADMIN_ONLY = 'The caller is not an admin.';
const NOT_FOUND = 'No such SLA policy.';

@ApiTags('sla')
@ApiUnauthorizedResponse({ description: 'Missing or invalid token.' })
@Controller('sla-policies')
export class SlaPoliciesController {
  constructor(private readonly policies: SlaPoliciesService) {}

  @Get()
  @Roles('agent', 'supervisor', 'admin')
  @ApiOperation({
    summary: 'SLA policies in the order they are tried',
    description: 'A ticket runs under the first policy (lowest position) whose conditions all match it.',
  })
  @ApiOkResponse({ type: SlaPolicyListResponse })
  @ApiForbiddenResponse({ description: 'Customers may not read SLA policies.' })
  async list(): Promise<SlaPolicyListResponse> {
    return { data: (await this.policies.list()).map(toSlaPolicyResponse), nextCursor: null };
  }

  @Get(':id')
  @Roles('agent', 'supervisor', 'admin')
  @ApiOperation({ summary: 'One SLA policy' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SlaPolicyResponse, headers: ETAG_HEADER })
  @ApiForbiddenResponse({ description: 'Customers may not read SLA policies.' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async get(
    @PolicyId() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SlaPolicyResponse> {
    const policy = await this.policies.get(id);
    return sendEtag(reply, policy.version, toSlaPolicyResponse(policy));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Create an SLA policy',
    description:
      'At a taken position the policies from there on move down one; without a position it goes last.',
  })
  @ApiCreatedResponse({ type: SlaPolicyResponse, headers: ETAG_HEADER })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiConflictResponse({ description: 'A policy with this name exists.' })
  async create(
    @Body() body: CreateSlaPolicyDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SlaPolicyResponse> {
    const policy = await this.policies.create(body);
    return sendEtag(reply, policy.version, toSlaPolicyResponse(policy));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change or move an SLA policy',
    description:
      'A new position moves the policy there; the policies in between shift by one. Tickets keep the ' +
      'policy they run under until a person changes their priority or category.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: SlaPolicyResponse, headers: ETAG_HEADER })
  @ApiIfMatch('SLA policy')
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'Another policy has this name.' })
  async update(
    @PolicyId() id: string,
    @Body() body: UpdateSlaPolicyDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ): Promise<SlaPolicyResponse> {
    const policy = await this.policies.update(id, body, ifMatch);
    return sendEtag(reply, policy.version, toSlaPolicyResponse(policy));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an SLA policy' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async remove(@PolicyId() id: string): Promise<void> {
    await this.policies.remove(id);
  }
}
