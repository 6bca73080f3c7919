import { ApiProperty } from '@nestjs/swagger';
import { VISIBILITIES, type Visibility } from '../../tickets/ticket-rules';
import { CONTENT_TYPES } from '../attachment-type';

export class AttachmentResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) ticketId!: string;
  @ApiProperty({
    example: 'withdrawal-screenshot.png',
    description: 'The uploaded name, cleaned: no path, no control characters, at most 255 bytes.',
  })
  filename!: string;
  @ApiProperty({ enum: CONTENT_TYPES, description: 'Decided from the file’s bytes.' })
  contentType!: string;
  @ApiProperty({ example: 48213, description: 'Bytes stored.' }) size!: number;
  @ApiProperty({ example: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' })
  sha256!: string;
  @ApiProperty({
    enum: VISIBILITIES,
    description: 'Internal attachments (uploaded so, or on an internal note) are for agents only.',
  })
  visibility!: Visibility;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}
