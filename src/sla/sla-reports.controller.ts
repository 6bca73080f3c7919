import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ProblemResponse } from '../tickets/dto/ticket.responses';
import { SlaReport, SlaReportQuery } from './dto/sla-report.dto';
import { SlaReportsService } from './sla-reports.service';

@ApiTags('reports')
@Controller('reports')
export class SlaReportsController {
  constructor(private readonly reports: SlaReportsService) {}

  /** SLA compliance and reply/resolution times for tickets created in [from, to). */
  @Get('sla')
  @Roles('supervisor', 'admin')
  @ApiOkResponse({ type: SlaReport })
  @ApiBadRequestResponse({ description: 'Missing or invalid from, to or groupBy.', type: ProblemResponse })
  @ApiForbiddenResponse({ description: 'Supervisors and admins only.', type: ProblemResponse })
  sla(@Query() query: SlaReportQuery): Promise<SlaReport> {
    return this.reports.report(query);
  }
}
