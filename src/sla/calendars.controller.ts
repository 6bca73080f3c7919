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
  @ApiOkResponse({ type: CalendarResponse })
  @ApiForbiddenResponse({ description: 'Customers may not read calendars.' })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  async get(@CalendarId() id: string): Promise<CalendarResponse> {
    return toCalendarResponse(await this.calendars.get(id));
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a calendar' })
  @ApiCreatedResponse({ type: CalendarResponse })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiConflictResponse({ description: 'A calendar with this name exists.' })
  async create(@Body() body: CreateCalendarDto): Promise<CalendarResponse> {
    return toCalendarResponse(await this.calendars.create(body));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change a calendar',
    description:
      'Each given member replaces the stored one; the resulting calendar must be valid as a whole.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: CalendarResponse })
  @ApiBadRequestResponse({ description: INVALID })
  @ApiForbiddenResponse({ description: ADMIN_ONLY })
  @ApiNotFoundResponse({ description: NOT_FOUND })
  @ApiConflictResponse({ description: 'Another calendar has this name.' })
  async update(@CalendarId() id: string, @Body() body: UpdateCalendarDto): Promise<CalendarResponse> {
    return toCalendarResponse(await this.calendars.update(id, body));
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
