import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
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
  @ApiOkResponse({ type: SlaPolicyResponse })
  @ApiForbiddenResponse({ description: 'Customers may not read SLA policies.' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async get(@PolicyId() id: string): Promise<SlaPolicyResponse> {
    return toSlaPolicyResponse(await this.policies.get(id));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({
    summary: 'Create an SLA policy',
    description:
      'At a taken position the policies from there on move down one; without a position it goes last.',
  })
  @ApiCreatedResponse({ type: SlaPolicyResponse })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiConflictResponse({ description: 'A policy with this name exists.' })
  async create(@Body() body: CreateSlaPolicyDto): Promise<SlaPolicyResponse> {
    return toSlaPolicyResponse(await this.policies.create(body));
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
  @ApiOkResponse({ type: SlaPolicyResponse })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'Another policy has this name.' })
  async update(@PolicyId() id: string, @Body() body: UpdateSlaPolicyDto): Promise<SlaPolicyResponse> {
    return toSlaPolicyResponse(await this.policies.update(id, body));
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
