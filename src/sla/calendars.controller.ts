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
import { CalendarsService } from './calendars.service';
import {
  CalendarListResponse,
  CalendarResponse,
  CreateCalendarDto,
  toCalendarResponse,
  UpdateCalendarDto,
} from './dto/calendar.dto';

/** A malformed id names no calendar: 404, as an unknown one. */
const CalendarId = () =>
  Param('id', new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('Calendar') }));

const INVALID = 'Invalid fields, each listed in `errors` by path (`businessHours.0.start`, `timezone`).';
const ADMIN_ONLY = 'The caller is not an admin.';
const NOT_FOUND = 'No such calendar.';

@ApiTags('sla')
@ApiUnauthorizedResponse({ description: 'Missing or invalid token.' })
@Controller('calendars')
export class CalendarsController {
  constructor(private readonly calendars: CalendarsService) {}

  @Get()
  @Roles('agent', 'supervisor', 'admin')
  @ApiOperation({ summary: 'Business calendars SLA policies count time in, by name' })
  @ApiOkResponse({ type: CalendarListResponse })
  @ApiForbiddenResponse({ description: 'Customers may not read calendars.' })
  async list(): Promise<CalendarListResponse> {
    return { data: (await this.calendars.list()).map(toCalendarResponse), nextCursor: null };
  }

  @Get(':id')
  @Roles('agent', 'supervisor', 'admin')
  @ApiOperation({ summary: 'One calendar' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CalendarResponse, headers: ETAG_HEADER })
  @ApiForbiddenResponse({ description: 'Customers may not read calendars.' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async get(
    @CalendarId() id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CalendarResponse> {
    const calendar = await this.calendars.get(id);
    return sendEtag(reply, calendar.version, toCalendarResponse(calendar));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a calendar' })
  @ApiCreatedResponse({ type: CalendarResponse, headers: ETAG_HEADER })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiConflictResponse({ description: 'A calendar with this name exists.' })
  async create(
    @Body() body: CreateCalendarDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CalendarResponse> {
    const calendar = await this.calendars.create(body);
    return sendEtag(reply, calendar.version, toCalendarResponse(calendar));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change a calendar',
    description:
      'Each given member replaces the stored one; the resulting calendar must be valid as a whole.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CalendarResponse, headers: ETAG_HEADER })
  @ApiIfMatch('calendar')
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'Another calendar has this name.' })
  async update(
    @CalendarId() id: string,
    @Body() body: UpdateCalendarDto,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('if-match') ifMatch?: string,
  ): Promise<CalendarResponse> {
    const calendar = await this.calendars.update(id, body, ifMatch);
    return sendEtag(reply, calendar.version, toCalendarResponse(calendar));
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a calendar no SLA policy uses' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'An SLA policy uses the calendar.' })
  async remove(@CalendarId() id: string): Promise<void> {
    await this.calendars.remove(id);
  }
}
