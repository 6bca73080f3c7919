import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { isStaff, type Viewer } from '../auth/roles';
import { Clock } from '../common/clock/clock';
import { AppError } from '../common/errors/app-error';
import { SecretGuard } from '../redaction/secret-guard';
import type { SecretKind } from '../redaction/secret-redactor';
import type { SlaTrigger } from '../sla/sla-engine';
import { VISIBILITIES, type Visibility } from '../tickets/ticket-rules';
import type { Ticket, TicketWithSla } from '../tickets/ticket.types';
import type { TimelineEvent } from '../tickets/timeline';
import { TicketsRepository } from '../tickets/tickets.repository';
import { TicketsService } from '../tickets/tickets.service';
import { cleanFilename, contentDisposition } from './attachment-filename';
import { AttachmentIntake, type StoredFile } from './attachment-intake';
import { ATTACHMENT_TYPES } from './attachment-type';
import { toAttachmentResponse } from './attachment.mapper';
import { type Attachment, AttachmentsRepository } from './attachments.repository';
import { parseRange } from './byte-range';
import type { AttachmentResponse } from './dto/attachment.response';
import type { FormPart } from './multipart-form';
import { AttachmentStorage, storageKey } from './storage/attachment-storage';

/** SPEC §8: at most 20 live attachments on a ticket. */
export const MAX_ATTACHMENTS_PER_TICKET = 20;

export interface AttachmentResult {
  attachment: AttachmentResponse;
  etag: string;
}

/** What a download answers: the status, its headers, and the bytes unless there are none to send. */
export type Download =
  | { status: 200 | 206; headers: Record<string, string>; body: Readable }
  | { status: 304; headers: Record<string, string> }
  | { status: 416; size: number };

export interface DownloadConditions {
  range?: string;
  ifRange?: string;
  ifNoneMatch?: string;
}

/**
 * Attachments of tickets (SPEC §8): upload (stored first, then recorded in one transaction with
 * its timeline and any redaction), read, download with ranges, delete.
 */
@Injectable()
export class AttachmentsService {
  private readonly logger = new Logger(AttachmentsService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly attachments: AttachmentsRepository,
    private readonly storage: AttachmentStorage,
    private readonly intake: AttachmentIntake,
    private readonly tickets: TicketsService,
    private readonly ticketRows: TicketsRepository,
    private readonly secrets: SecretGuard,
    private readonly clock: Clock,
  ) {}

  /**
   * Streams the form's file to storage, then records it. The ticket is checked before anything is
   * read and again, locked, in the recording transaction; if that fails, the stored object is
   * removed, so an upload leaves a row and an object, or neither.
   */
  async upload(viewer: Viewer, ticketId: string, form: AsyncIterable<FormPart>): Promise<AttachmentResult> {
    await this.acceptingTicket(undefined, viewer, ticketId);
    const id = randomUUID();
    const key = storageKey(ticketId, id);
    const fields = new Map<string, string>();
    let file: { filename: string | undefined; stored: StoredFile } | undefined;
    try {
      for await (const part of form) {
        if (part.kind === 'field') {
          this.acceptField(viewer, fields, part.name, part.value);
        } else if (part.name !== 'file') {
          throw AppError.validation([
            { field: part.name, message: 'is not a known field; send the file as file' },
          ]);
        } else {
          file = { filename: part.filename, stored: await this.intake.store(key, part.content) };
        }
      }
      if (!file) throw AppError.validation([{ field: 'file', message: 'is required' }]);
      const { filename, stored } = file;
      const visibility = (fields.get('visibility') as Visibility | undefined) ?? 'public';
      return await this.dataSource.transaction((manager) =>
        this.record(manager, viewer, ticketId, { id, key, filename, visibility, stored }),
      );
    } catch (error) {
      if (file) {
        await this.storage.delete(key).catch((cause: unknown) => {
          this.logger.error({ err: cause, key }, 'Could not remove the object of a failed upload');
        });
      }
      throw error;
    }
  }

  async get(viewer: Viewer, id: string): Promise<AttachmentResult> {
    return resultOf(await this.findVisible(undefined, viewer, id));
  }

  /** The stored bytes with the headers that keep a browser from treating them as anything but a download. */
  async download(viewer: Viewer, id: string, conditions: DownloadConditions): Promise<Download> {
    const attachment = await this.findVisible(undefined, viewer, id);
    const etag = `"${attachment.sha256}"`;
    const headers: Record<string, string> = {
      ETag: etag,
      'Accept-Ranges': 'bytes',
      'Cache-Control': 'private, no-store',
    };
    if (conditions.ifNoneMatch && matchesAny(conditions.ifNoneMatch, etag)) {
      return { status: 304, headers };
    }
    // If-Range: a range only of the same bytes the client already holds part of.
    const sameBytes = conditions.ifRange === undefined || conditions.ifRange.trim() === etag;
    const range = parseRange(sameBytes ? conditions.range : undefined, attachment.size);
    if (range.kind === 'unsatisfiable') return { status: 416, size: attachment.size };
    Object.assign(headers, {
      'Content-Type': attachment.contentType,
      'X-Content-Type-Options': 'nosniff',
      'Content-Disposition': contentDisposition(attachment.filename),
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    if (range.kind === 'partial') {
      const body = await this.storage.get(attachment.storageKey, range);
      headers['Content-Range'] = `bytes ${range.start}-${range.end}/${attachment.size}`;
      headers['Content-Length'] = String(range.end - range.start + 1);
      return { status: 206, headers, body };
    }
    const body = await this.storage.get(attachment.storageKey);
    headers['Content-Length'] = String(attachment.size);
    return { status: 200, headers, body };
  }

  /** The uploader or staff; the row stays (soft-deleted) for the timeline, the bytes go once it is committed. */
  async delete(viewer: Viewer, id: string): Promise<void> {
    const removed = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const attachment = await this.findVisible(manager, viewer, id);
      if (!isStaff(viewer) && attachment.uploaderId !== viewer.id) {
        throw new AppError('forbidden', 'Only the uploader or an agent may delete an attachment.');
      }
      // The ticket first, as uploads and messages lock it: then the attachment row, in that order.
      const state = await this.ticketRows.findWithSla(manager, attachment.ticketId, { lock: true });
      if (!(await this.attachments.markDeleted(manager, attachment.id, viewer.id, now))) {
        throw AppError.notFound('Attachment');
      }
      const event: TimelineEvent = {
        type: 'attachment.deleted',
        actor: { id: viewer.id, role: viewer.role },
        data: {
          attachmentId: attachment.id,
          filename: attachment.filename,
          visibility: attachment.visibility,
        },
      };
      await this.tickets.commitChange(manager, state!, {}, [event], [], now);
      return attachment;
    });
    await this.storage.delete(removed.storageKey).catch((cause: unknown) => {
      this.logger.error({ err: cause, key: removed.storageKey }, 'Could not remove a deleted attachment');
    });
  }

  private acceptField(viewer: Viewer, fields: Map<string, string>, name: string, value: string): void {
    if (name !== 'visibility') {
      throw AppError.validation([{ field: name, message: 'is not a known field' }]);
    }
    if (fields.has(name)) throw AppError.validation([{ field: name, message: 'is given more than once' }]);
    if (!(VISIBILITIES as readonly string[]).includes(value)) {
      throw AppError.validation([{ field: name, message: 'must be public or internal' }]);
    }
    if (value === 'internal' && !isStaff(viewer)) {
      throw AppError.validation([{ field: name, message: 'customers may only upload public attachments' }]);
    }
    fields.set(name, value);
  }

  /** The ticket, if the viewer may attach to it: theirs (customers), not closed, under the limit. */
  private async acceptingTicket(
    manager: EntityManager | undefined,
    viewer: Viewer,
    ticketId: string,
  ): Promise<TicketWithSla> {
    const requesterId = isStaff(viewer) ? undefined : viewer.id;
    const state = await this.ticketRows.findWithSla(manager, ticketId, {
      requesterId,
      lock: Boolean(manager),
    });
    if (!state) throw AppError.notFound('Ticket');
    if (state.ticket.status === 'closed') {
      throw new AppError('conflict', 'The ticket is closed; open a new ticket instead.');
    }
    if ((await this.attachments.countLive(manager, ticketId)) >= MAX_ATTACHMENTS_PER_TICKET) {
      throw new AppError('conflict', `A ticket holds at most ${MAX_ATTACHMENTS_PER_TICKET} attachments.`);
    }
    return state;
  }

  /** The row, its timeline record and, for a redacted text, the ticket's exposure changes and warning. */
  private async record(
    manager: EntityManager,
    viewer: Viewer,
    ticketId: string,
    upload: {
      id: string;
      key: string;
      filename: string | undefined;
      visibility: Visibility;
      stored: StoredFile;
    },
  ): Promise<AttachmentResult> {
    const now = this.clock.now();
    // Locked: concurrent uploads to one ticket are counted one after the other.
    const state = await this.acceptingTicket(manager, viewer, ticketId);
    const { stored } = upload;
    const filename = this.filenameOf(upload.filename, stored);
    const attachment = await this.attachments.insert(manager, {
      id: upload.id,
      ticketId,
      uploaderId: viewer.id,
      uploaderRole: viewer.role,
      filename: filename.name,
      contentType: stored.contentType,
      size: stored.size,
      sha256: stored.sha256,
      visibility: upload.visibility,
      storageKey: upload.key,
      createdAt: now,
    });
    const changes: Partial<Ticket> = {};
    const triggers: SlaTrigger[] = [];
    const events: TimelineEvent[] = [
      {
        type: 'attachment.added',
        actor: { id: viewer.id, role: viewer.role },
        data: {
          attachmentId: attachment.id,
          filename: attachment.filename,
          visibility: attachment.visibility,
          contentType: attachment.contentType,
          size: attachment.size,
        },
      },
    ];
    const redacted = mergeKinds(stored.redacted ?? {}, filename.kinds);
    if (Object.keys(redacted).length > 0) {
      const exposure = await this.secrets.exposureChanges(manager, state.ticket, redacted);
      if (exposure.priority) triggers.push({ type: 'policyInputsChanged' });
      Object.assign(changes, exposure);
      const details = { unlabelledHexKey: !!stored.unlabelledHexKey || filename.unlabelledHexKey };
      events.push(...(await this.secrets.warn(manager, state.ticket, redacted, now, details)));
    }
    await this.tickets.commitChange(manager, state, changes, events, triggers, now);
    return resultOf(attachment);
  }

  /**
   * The name to keep: redacted like any text the customer typed ("password: hunter2.txt"), then
   * cleaned (SPEC §8), then redacted again in case cleaning joined what was kept apart, and cleaned
   * once more: a replacement is longer than what it replaces, and the name must fit 255 bytes.
   */
  private filenameOf(
    raw: string | undefined,
    stored: StoredFile,
  ): { name: string; kinds: Partial<Record<SecretKind, number>>; unlabelledHexKey: boolean } {
    const before = this.secrets.inspect({ filename: raw ?? '' });
    const cleaned = cleanFilename(
      raw === undefined ? raw : before.values.filename,
      ATTACHMENT_TYPES[stored.contentType],
    );
    const after = this.secrets.inspect({ filename: cleaned });
    return {
      name: cleanFilename(after.values.filename, ATTACHMENT_TYPES[stored.contentType]),
      kinds: mergeKinds(before.kinds, after.kinds),
      unlabelledHexKey: before.unlabelledHexKey || after.unlabelledHexKey,
    };
  }

  private async findVisible(
    manager: EntityManager | undefined,
    viewer: Viewer,
    id: string,
  ): Promise<Attachment> {
    const requesterId = isStaff(viewer) ? undefined : viewer.id;
    const attachment = await this.attachments.findForViewer(manager, id, requesterId);
    if (!attachment) throw AppError.notFound('Attachment');
    return attachment;
  }
}

function mergeKinds(
  a: Partial<Record<SecretKind, number>>,
  b: Partial<Record<SecretKind, number>>,
): Partial<Record<SecretKind, number>> {
  const merged = { ...a };
  for (const [kind, count] of Object.entries(b) as [SecretKind, number][]) {
    merged[kind] = (merged[kind] ?? 0) + count;
  }
  return merged;
}

/** The metadata with a strong ETag of exactly what it says (visibility changes when it is linked). */
function resultOf(attachment: Attachment): AttachmentResult {
  const response = toAttachmentResponse(attachment);
  const digest = createHash('sha256').update(JSON.stringify(response)).digest('base64url');
  return { attachment: response, etag: `"${digest.slice(0, 27)}"` };
}

function matchesAny(header: string, etag: string): boolean {
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}
