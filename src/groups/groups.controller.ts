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
  Put,
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
import { AppError } from '../common/errors/app-error';
import { ApiIfMatch, ETAG_HEADER, sendEtag } from '../common/http/etag';
import type { FastifyReply } from 'fastify';
import { CreateGroupDto, UpdateGroupDto } from './dto/group.dto';
import { GroupListResponse, GroupResponse, toGroupResponse } from './dto/group.response';
import { GroupsService } from './groups.service';

/** A malformed id names no group: 404, as an unknown one. */
const GroupId = () => Param('id', new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('Group') }));

const INVALID = 'Invalid fields, each listed in `errors`.';
const ADMIN_ONLY = 'The caller is not an admin.';
const NOT_FOUND = 'No such group.';

@ApiTags('groups')
@ApiUnauthorizedResponse({ description: 'Missing or invalid token.' })
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Get()
  @Roles('agent', 'supervisor', 'admin')
  @ApiOperation({ summary: 'Agent groups, by tier then name' })
  @ApiOkResponse({ type: GroupListResponse })
  @ApiForbiddenResponse({ description: 'Customers may not list groups.' })
  async list(): Promise<GroupListResponse> {
    return { data: (await this.groups.list()).map(toGroupResponse), nextCursor: null };
  }

  @Get(':id')
  @Roles('agent', 'supervisor', 'admin')
  @ApiOperation({ summary: 'One group' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: GroupResponse, headers: ETAG_HEADER })
  @ApiForbiddenResponse({ description: 'Customers may not read groups.' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async get(@GroupId() id: string, @Res({ passthrough: true }) reply: FastifyReply): Promise<GroupResponse> {
    const group = await this.groups.get(id);
    return sendEtag(reply, group.version, toGroupResponse(group));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a group' })
  @ApiCreatedResponse({ type: GroupResponse, headers: ETAG_HEADER })
  @ApiBadRequestResponse({ description: `${INVALID} An unknown category key is an error on \`categories\`.` })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiConflictResponse({ description: 'A group with this name exists.' })
  async create(
    @Body() body: CreateGroupDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<GroupResponse> {
    const group = await this.groups.create(body);
    return sendEtag(reply, group.version, toGroupResponse(group));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change a group' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: GroupResponse, headers: ETAG_HEADER })
  @ApiIfMatch('group')
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'Another group has this name.' })
  async update(
    @GroupId() id: string,
    @Body() body: UpdateGroupDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ): Promise<GroupResponse> {
    const group = await this.groups.update(id, body, ifMatch);
    return sendEtag(reply, group.version, toGroupResponse(group));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a group no ticket is in' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'Tickets are in the group.' })
  async remove(@GroupId() id: string): Promise<void> {
    await this.groups.remove(id);
  }

  @Put(':id/members/:agentId')
  @Roles('admin')
  @ApiOperation({ summary: 'Add an agent to a group (idempotent)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'agentId', example: 'agent-7', description: 'The agent’s JWT `sub`, 1–200 characters.' })
  @ApiOkResponse({ type: GroupResponse })
  @ApiBadRequestResponse({ description: 'The agent id is longer than 200 characters.' })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async addMember(@GroupId() id: string, @Param('agentId') agentId: string): Promise<GroupResponse> {
    return toGroupResponse(await this.groups.addMember(id, agentId));
  }

  @Delete(':id/members/:agentId')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove an agent from a group (idempotent)' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'agentId', example: 'agent-7' })
  @ApiNoContentResponse({ description: 'The agent is not (or no longer) a member.' })
  @ApiBadRequestResponse({ description: 'The agent id is longer than 200 characters.' })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async removeMember(@GroupId() id: string, @Param('agentId') agentId: string): Promise<void> {
    await this.groups.removeMember(id, agentId);
  }
}
