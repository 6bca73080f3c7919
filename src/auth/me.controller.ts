import { Controller, Get } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentViewer } from './auth.decorators';
import { ROLES, type Role, type Viewer } from './roles';

export class ViewerResponse {
  @ApiProperty({ example: 'agent-7' }) id!: string;
  @ApiProperty({ enum: ROLES, example: 'agent' }) role!: Role;
  @ApiProperty({ minimum: 0, maximum: 7, example: 0 }) vip!: number;
  @ApiPropertyOptional({ example: 'Ann' }) name?: string;
  @ApiPropertyOptional({ example: 'en' }) locale?: string;
}

@ApiTags('auth')
@Controller('me')
export class MeController {
  /** Who the token says the caller is: handy to check a token. */
  @Get()
  @ApiOkResponse({ type: ViewerResponse })
  @ApiUnauthorizedResponse({ description: 'Missing or invalid token.' })
  me(@CurrentViewer() viewer: Viewer): ViewerResponse {
    return { ...viewer };
  }
}
