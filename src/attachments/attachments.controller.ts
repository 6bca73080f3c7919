import {
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpException,
  Inject,
  Param,
  Post,
  Req,
  Res,
  StreamableFile,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiPayloadTooLargeResponse,
  ApiResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentViewer } from '../auth/auth.decorators';
import type { Viewer } from '../auth/roles';
import { ParseIdPipe } from '../common/validation/parse-id.pipe';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ProblemResponse } from '../tickets/dto/ticket.responses';
import { VISIBILITIES } from '../tickets/ticket-rules';
import { CONTENT_TYPES } from './attachment-type';
import { type AttachmentResult, AttachmentsService, type Download } from './attachments.service';
import { AttachmentResponse } from './dto/attachment.response';
import { multipartForm } from './multipart-form';

const TicketId = new ParseIdPipe('Ticket');
const AttachmentId = new ParseIdPipe('Attachment');
const problem = { type: ProblemResponse };
/** The bytes, under the fixed Content-Type of their type. */
const FILE_CONTENT = Object.fromEntries(
  CONTENT_TYPES.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
);

const DOWNLOAD_HEADERS = {
  'Content-Type': {
    description: 'Fixed per type: image/png, …, text/plain; charset=utf-8.',
    schema: { type: 'string' },
  },
  'Content-Disposition': {
    description: `Always a download: attachment; filename="<ascii>"; filename*=UTF-8''<name>.`,
    schema: { type: 'string' },
  },
  'X-Content-Type-Options': { description: 'nosniff', schema: { type: 'string' } },
  'Content-Length': { schema: { type: 'integer' } },
  'Accept-Ranges': { description: 'bytes', schema: { type: 'string' } },
  ETag: { description: 'The SHA-256 of the bytes, quoted.', schema: { type: 'string' } },
};

function sendAttachment(reply: FastifyReply, result: AttachmentResult): AttachmentResponse {
  void reply.header('ETag', result.etag);
  return result.attachment;
}

function sendDownload(reply: FastifyReply, download: Download): StreamableFile | undefined {
  if (download.status === 416) {
    void reply.header('Content-Range', `bytes */${download.size}`);
    throw new HttpException(`The range is outside the file's ${download.size} bytes.`, 416);
  }
  void reply.status(download.status).headers(download.headers);
  return download.status === 304 ? undefined : new StreamableFile(download.body);
}

@ApiTags('attachments')
@ApiUnauthorizedResponse({ description: 'Missing or invalid token.', ...problem })
@Controller()
export class AttachmentsController {
  constructor(
    private readonly attachments: AttachmentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Attach a file to a ticket (customers: their own, public only). The type is read from the
   * file's bytes; text is stored with secrets redacted.
   */
  @Post('tickets/:id/attachments')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: {
          type: 'string',
          format: 'binary',
          description:
            'PNG, JPEG, WebP, GIF, PDF, MP4 or plain UTF-8 text, at most ATTACHMENT_MAX_BYTES (20 MiB by default).',
        },
        visibility: {
          type: 'string',
          enum: [...VISIBILITIES],
          default: 'public',
          description: 'Agents only: internal keeps the file from the customer.',
        },
      },
    },
  })
  @ApiCreatedResponse({
    type: AttachmentResponse,
    headers: { Location: { description: '/v1/attachments/{id}', schema: { type: 'string' } } },
  })
  @ApiBadRequestResponse({
    description: 'No file, an empty file, an unknown field, or visibility=internal from a customer.',
    ...problem,
  })
  @ApiNotFoundResponse({ description: 'Unknown ticket, or not the caller’s.', ...problem })
  @ApiConflictResponse({ description: 'The ticket is closed, or already has 20 attachments.', ...problem })
  @ApiPayloadTooLargeResponse({ description: 'The file is larger than ATTACHMENT_MAX_BYTES.', ...problem })
  @ApiUnsupportedMediaTypeResponse({
    description: 'Not multipart, or the file is not an allowed type (by its bytes).',
    ...problem,
  })
  async upload(
    @CurrentViewer() viewer: Viewer,
    @Param('id', TicketId) id: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AttachmentResponse> {
    const form = multipartForm(request, this.config.ATTACHMENT_MAX_BYTES);
    const result = await this.attachments.upload(viewer, id, form);
    void reply.header('Location', `/v1/attachments/${result.attachment.id}`);
    return sendAttachment(reply, result);
  }

  @Get('attachments/:id')
  @ApiOkResponse({ type: AttachmentResponse })
  @ApiNotFoundResponse({
    description: 'Unknown or deleted, or (customers) internal or not on their ticket.',
    ...problem,
  })
  async get(
    @CurrentViewer() viewer: Viewer,
    @Param('id', AttachmentId) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AttachmentResponse> {
    return sendAttachment(reply, await this.attachments.get(viewer, id));
  }

  /** The stored bytes, always as a download; one byte range per request (video seeking, resumed downloads). */
  @Get('attachments/:id/content')
  @ApiHeader({ name: 'Range', required: false, description: 'bytes=a-b, bytes=a- or bytes=-n (the last n).' })
  @ApiHeader({
    name: 'If-Range',
    required: false,
    description: 'The ETag: the range only if the bytes are the same.',
  })
  @ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag held: 304 if unchanged.' })
  @ApiOkResponse({
    description: 'The whole file.',
    content: FILE_CONTENT,
    headers: DOWNLOAD_HEADERS,
  })
  @ApiResponse({
    status: 206,
    description: 'The requested range.',
    content: FILE_CONTENT,
    headers: {
      ...DOWNLOAD_HEADERS,
      'Content-Range': { description: 'bytes a-b/size', schema: { type: 'string' } },
    },
  })
  @ApiResponse({ status: 304, description: 'If-None-Match matched.' })
  @ApiNotFoundResponse({
    description: 'Unknown or deleted, or (customers) internal or not on their ticket.',
    ...problem,
  })
  @ApiResponse({
    status: 416,
    description: 'The range starts past the end of the file (Content-Range: bytes */size).',
    ...problem,
  })
  async content(
    @CurrentViewer() viewer: Viewer,
    @Param('id', AttachmentId) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('range') range?: string,
    @Headers('if-range') ifRange?: string,
    @Headers('if-none-match') ifNoneMatch?: string,
  ): Promise<StreamableFile | undefined> {
    return sendDownload(reply, await this.attachments.download(viewer, id, { range, ifRange, ifNoneMatch }));
  }

  /** The uploader or an agent; the bytes are removed, the timeline keeps a record. */
  @Delete('attachments/:id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiForbiddenResponse({ description: 'A customer who did not upload it.', ...problem })
  @ApiNotFoundResponse({
    description: 'Unknown or deleted, or (customers) internal or not on their ticket.',
    ...problem,
  })
  async delete(@CurrentViewer() viewer: Viewer, @Param('id', AttachmentId) id: string): Promise<void> {
    await this.attachments.delete(viewer, id);
  }
}
