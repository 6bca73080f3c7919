import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AttachmentLinks } from '../attachments/attachment-links';
import { isStaff, type Viewer } from '../auth/roles';
import { validateTicketFields } from '../categories/category-fields';
import { Clock } from '../common/clock/clock';
import { etagMatches, etagOf, staleVersion } from '../common/http/etag';
import { AppError, type FieldError } from '../common/errors/app-error';
import { IdempotencyService, type StoredResponse } from '../common/idempotency/idempotency.service';
import { decodeCursor, type Page, type PageQuery, toPage } from '../common/validation/list-query';
import { SlaEngine, type SlaTrigger } from '../sla/sla-engine';
import type {
  CreateMessageRequest,
  CreateTicketRequest,
  ListTicketsQuery,
  SatisfactionRequest,
  UpdateTicketRequest,
} from './dto/ticket.requests';
import type { EventResponse, MessageResponse, TicketResponse } from './dto/ticket.responses';
import { type Inspected, SecretGuard } from '../redaction/secret-guard';
import { buildTicketList, type ListRow } from './ticket-list.query';
import {
  type EventRow,
  type MessageRow,
  toEventResponse,
  toMessageResponse,
  toTicketResponse,
} from './ticket.mapper';
import { SYSTEM_ACTOR, type Actor, type Ticket, type TicketWithSla } from './ticket.types';
import {
  canTransition,
  defaultPriority,
  statusAfterAgentReply,
  statusAfterCustomerReply,
  type TicketStatus,
} from './ticket-rules';
import { Timeline, type TimelineEvent } from './timeline';
import { TicketsRepository } from './tickets.repository';

export interface TicketResult {
  ticket: TicketResponse;
  etag: string;
}

function actorOf(viewer: Viewer): Actor {
  return { id: viewer.id, role: viewer.role };
}

/** Ticket lifecycle: create, read, list, change, converse, rate; every change with its SLA and timeline in one transaction. */
@Injectable()
export class TicketsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly sla: SlaEngine,
    private readonly timeline: Timeline,
    private readonly idempotency: IdempotencyService,
    private readonly secrets: SecretGuard,
    private readonly clock: Clock,
    private readonly attachmentLinks: AttachmentLinks,
  ) {}

  async create(
    viewer: Viewer,
    request: CreateTicketRequest,
    idempotencyKey?: string,
  ): Promise<StoredResponse<TicketResponse>> {
    const staff = isStaff(viewer);
    const errors: FieldError[] = [];
    if (!staff && request.requesterId !== undefined) {
      errors.push({ field: 'requesterId', message: 'only agents may open a ticket for someone else' });
    }
    if (staff && request.requesterId === undefined) {
      errors.push({ field: 'requesterId', message: 'is required when an agent opens a ticket' });
    }
    if (!staff && request.priority === 'urgent') {
      errors.push({ field: 'priority', message: 'customers cannot choose urgent' });
    }
    const context = await this.tickets.creationContext(request.category);
    const { category } = context;
    if (!category || !category.enabled) {
      errors.push({ field: 'category', message: 'is not an available category' });
    } else if (!category.subcategories.some((sub) => sub.key === request.subcategory && sub.enabled)) {
      errors.push({
        field: 'subcategory',
        message: `is not an available subcategory of ${request.category}`,
      });
    }
    const fields = category
      ? validateTicketFields(category.fields, category.requireOneOf, request.fields)
      : { values: {}, errors: [] };
    errors.push(...fields.errors);
    // Fields and tags are kept as given, so one that holds a secret is refused, never stored.
    errors.push(...this.secrets.refuseInStructured(fields.values, request.tags));
    if (errors.length > 0) throw AppError.validation(errors);

    const text = this.secrets.inspect({ subject: request.subject, description: request.description });
    // The key's record keeps a hash of the request: of the redacted one, so no secret can be recovered from it.
    const stored = { ...request, ...text.values };
    return this.idempotency.run(viewer.id, idempotencyKey, 'POST /v1/tickets', stored, async (manager) => {
      const now = this.clock.now();
      const tier1 = context.tier1Group;
      const ticket: Ticket = {
        id: randomUUID(),
        number: 0,
        subject: text.values.subject,
        description: text.values.description,
        category: request.category,
        subcategory: request.subcategory,
        priority: request.priority ?? defaultPriority(request.category, request.subcategory),
        status: 'new',
        channel: request.channel ?? 'web',
        locale: request.locale ?? (staff ? 'en' : (viewer.locale ?? 'en')),
        requesterId: staff ? request.requesterId! : viewer.id,
        requesterVip: staff ? 0 : viewer.vip,
        assigneeId: null,
        groupId: tier1?.id ?? null,
        tier: tier1?.tier ?? 1,
        escalationLevel: 0,
        fields: fields.values,
        tags: [...new Set(request.tags ?? [])],
        policyId: null,
        slaDueAt: null,
        slaNextCheckAt: null,
        satisfaction: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
        firstRespondedAt: null,
        solvedAt: null,
        closedAt: null,
      };
      if (text.redacted)
        Object.assign(ticket, await this.secrets.exposureChanges(manager, ticket, text.kinds));
      const state: TicketWithSla = { ticket, timers: [], targets: null };
      const outcome = await this.sla.apply(manager, state, [{ type: 'created' }], now, context.policies);
      Object.assign(ticket, outcome.changes);
      const searchText = [ticket.subject, ticket.description, ...Object.values(ticket.fields)]
        .join('\n')
        .toLowerCase();
      const events: TimelineEvent[] = [
        {
          type: 'ticket.created',
          actor: actorOf(viewer),
          // The number is set by the statement that inserts the ticket.
          data: { number: 0, channel: ticket.channel, priority: ticket.priority, groupId: ticket.groupId },
        },
        ...outcome.events,
      ];
      // The ticket, its search text, timers and first records in one statement.
      const created = await this.tickets.create(manager, ticket, searchText, outcome.timers, events);
      ticket.number = created.number;
      const timers = created.timers;
      await this.timeline.written(manager, ticket.id, events, now, created.fresh);
      if (text.redacted) {
        const warnings = await this.secrets.warn(manager, ticket, text.kinds, now, {
          unlabelledHexKey: text.unlabelledHexKey,
        });
        await this.timeline.record(manager, ticket.id, warnings, now);
      }
      // Nothing else writes a ticket that is not committed yet: the response is what was inserted.
      const saved: TicketWithSla = { ticket, timers, targets: outcome.targets };
      return { status: 201, body: toTicketResponse(saved, now) };
    });
  }

  async get(viewer: Viewer, id: string): Promise<TicketResult> {
    const state = await this.findVisible(undefined, viewer, id);
    return { ticket: toTicketResponse(state, this.clock.now()), etag: etagOf(state.ticket.version) };
  }

  async list(viewer: Viewer, query: ListTicketsQuery): Promise<Page<TicketResponse>> {
    const { sql, params, position } = buildTicketList(query, viewer);
    const rows: ListRow[] = await this.dataSource.query(sql, params);
    const page = toPage(rows, query.limit, position, (row) => row.id);
    const now = this.clock.now();
    const states = await this.tickets.findManyWithSla(page.data);
    return { data: states.map((state) => toTicketResponse(state, now)), nextCursor: page.nextCursor };
  }

  async update(
    viewer: Viewer,
    id: string,
    request: UpdateTicketRequest,
    ifMatch?: string,
  ): Promise<TicketResult> {
    const staff = isStaff(viewer);
    if (!staff) {
      const forbidden = Object.keys(request).filter((key) => key !== 'status');
      if (forbidden.length > 0) {
        throw new AppError('forbidden', `Customers may not change ${forbidden.join(', ')}.`);
      }
      if (request.status !== undefined && request.status !== 'solved') {
        throw AppError.validation([{ field: 'status', message: 'customers may only set solved' }]);
      }
    }
    const updated = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const state = await this.findVisible(manager, viewer, id, true);
      const { ticket } = state;
      if (ifMatch !== undefined && !etagMatches(ifMatch, ticket.version)) {
        throw staleVersion('ticket', ticket.version);
      }
      const changes: Partial<Ticket> = {};
      const events: TimelineEvent[] = [];
      const triggers: SlaTrigger[] = [];
      const actor = actorOf(viewer);

      if (request.status !== undefined && request.status !== ticket.status) {
        this.changeStatus(ticket, request.status, changes, events, triggers, actor, now);
      }
      if (request.priority !== undefined && request.priority !== ticket.priority) {
        events.push({
          type: 'ticket.priority_changed',
          actor,
          data: { from: ticket.priority, to: request.priority },
        });
        changes.priority = request.priority;
      }
      await this.changeCategory(manager, ticket, request, changes, events, actor);
      if (request.assigneeId !== undefined && request.assigneeId !== ticket.assigneeId) {
        events.push({
          type: 'ticket.assigned',
          actor,
          data: { from: ticket.assigneeId, to: request.assigneeId },
        });
        changes.assigneeId = request.assigneeId;
      }
      if (request.groupId !== undefined && request.groupId !== ticket.groupId) {
        const group = await this.tickets.group(manager, request.groupId);
        if (!group) throw AppError.validation([{ field: 'groupId', message: 'is not a group' }]);
        events.push({
          type: 'ticket.group_changed',
          actor,
          data: { from: ticket.groupId, to: group.id, tier: group.tier },
        });
        Object.assign(changes, { groupId: group.id, tier: group.tier });
      }
      if (request.tags !== undefined) {
        const tags = [...new Set(request.tags)];
        if (tags.join('\0') !== ticket.tags.join('\0')) {
          events.push({ type: 'ticket.tags_changed', actor, data: { from: ticket.tags, to: tags } });
          changes.tags = tags;
        }
      }
      if (changes.priority !== undefined || changes.category !== undefined) {
        triggers.push({ type: 'policyInputsChanged' });
      }
      if (events.length === 0) return state;
      if (ticket.status === 'closed') {
        throw new AppError(
          'invalid_transition',
          'The ticket is closed and final; open a new ticket instead.',
        );
      }
      return this.commitChange(manager, state, changes, events, triggers, now);
    });
    return { ticket: toTicketResponse(updated, this.clock.now()), etag: etagOf(updated.ticket.version) };
  }

  async addMessage(
    viewer: Viewer,
    ticketId: string,
    request: CreateMessageRequest,
    idempotencyKey?: string,
  ): Promise<StoredResponse<MessageResponse>> {
    const staff = isStaff(viewer);
    if (!staff && request.visibility === 'internal') {
      throw AppError.validation([
        { field: 'visibility', message: 'customers may only post public messages' },
      ]);
    }
    const text = this.secrets.inspect({ body: request.body });
    const scope = `POST /v1/tickets/${ticketId}/messages`;
    const stored = { ...request, ...text.values };
    return this.idempotency.run(viewer.id, idempotencyKey, scope, stored, async (manager) => {
      const now = this.clock.now();
      const state = await this.findVisible(manager, viewer, ticketId, true);
      const { ticket } = state;
      if (ticket.status === 'closed') {
        throw new AppError('invalid_transition', 'The ticket is closed; open a new ticket instead.');
      }
      const actor = actorOf(viewer);
      const [message]: MessageRow[] = await manager.query(
        `INSERT INTO ticket_messages (ticket_id, author_id, author_role, body, visibility, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id, ticket_id AS "ticketId", author_id AS "authorId", author_role AS "authorRole", body,
           visibility, created_at AS "createdAt"`,
        [ticket.id, viewer.id, viewer.role, text.values.body, request.visibility, now],
      );
      // Issue 6: the files go on the message, with its visibility (400 on attachmentIds otherwise).
      if (request.attachmentIds?.length) {
        message.attachmentIds = await this.attachmentLinks.link(
          manager,
          viewer,
          message,
          request.attachmentIds,
        );
      }
      const column = request.visibility === 'public' ? 'public_text' : 'internal_text';
      await manager.query(
        `UPDATE ticket_search SET ${column} = ${column} || E'\\n' || $2 WHERE ticket_id = $1`,
        [ticket.id, text.values.body.toLowerCase()],
      );
      const changes: Partial<Ticket> = {};
      const events: TimelineEvent[] = [
        {
          type: 'message.created',
          actor,
          data: { messageId: message.id, visibility: request.visibility, authorRole: viewer.role },
        },
      ];
      const triggers: SlaTrigger[] = [];
      if (request.visibility === 'public') {
        if (staff) {
          this.changeStatus(
            ticket,
            statusAfterAgentReply(ticket.status),
            changes,
            events,
            triggers,
            actor,
            now,
          );
          triggers.push({ type: 'agentReplied' });
          if (!ticket.firstRespondedAt) changes.firstRespondedAt = now;
        } else {
          this.changeStatus(
            ticket,
            statusAfterCustomerReply(ticket.status),
            changes,
            events,
            triggers,
            actor,
            now,
          );
          if (viewer.id === ticket.requesterId && viewer.vip !== ticket.requesterVip) {
            changes.requesterVip = viewer.vip;
            triggers.push({ type: 'policyInputsChanged' });
          }
          triggers.push({ type: 'customerReplied' });
        }
      }
      if (text.redacted) await this.reportExposure(manager, ticket, text, changes, events, triggers, now);
      await this.commitChange(manager, state, changes, events, triggers, now);
      return { status: 201, body: toMessageResponse(message) };
    });
  }

  async listMessages(viewer: Viewer, ticketId: string, query: PageQuery): Promise<Page<MessageResponse>> {
    await this.findVisible(undefined, viewer, ticketId);
    const after = query.cursor ? decodeCursor(query.cursor, 2) : undefined;
    const rows: MessageRow[] = await this.dataSource.query(
      `SELECT m.id, m.ticket_id AS "ticketId", m.author_id AS "authorId", m.author_role AS "authorRole", m.body,
         m.visibility, m.created_at AS "createdAt",
         (SELECT array_agg(a.id::text ORDER BY a.created_at, a.id) FROM attachments a
          WHERE a.message_id = m.id AND a.deleted_at IS NULL AND ($2::boolean OR a.visibility = 'public'))
           AS "attachmentIds"
       FROM ticket_messages m
       WHERE m.ticket_id = $1 AND ($2::boolean OR m.visibility = 'public')
         AND ($3::timestamptz IS NULL OR (m.created_at, m.id) > ($3::timestamptz, $4::uuid))
       ORDER BY m.created_at, m.id LIMIT $5`,
      [ticketId, isStaff(viewer), after?.[0] ?? null, after?.[1] ?? null, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => [new Date(row.createdAt).toISOString(), row.id],
      toMessageResponse,
    );
  }

  /**
   * The timeline is append-only, so a file uploaded public and later put on an internal note keeps
   * its customer-visible `attachment.*` records: customers' reads leave them out by the file's
   * visibility now.
   */
  async listEvents(viewer: Viewer, ticketId: string, query: PageQuery): Promise<Page<EventResponse>> {
    await this.findVisible(undefined, viewer, ticketId);
    const after = query.cursor ? decodeCursor(query.cursor, 1) : undefined;
    const rows: (EventRow & { seq: string })[] = await this.dataSource.query(
      `SELECT id, seq, type, actor_id AS "actorId", actor_role AS "actorRole", data, created_at AS "createdAt"
       FROM ticket_events e
       WHERE ticket_id = $1 AND seq > $3::bigint
         AND ($2::boolean OR (customer_visible AND NOT (type LIKE 'attachment.%' AND EXISTS (
           SELECT 1 FROM attachments a WHERE a.id = (e.data->>'attachmentId')::uuid AND a.visibility = 'internal'))))
       ORDER BY seq LIMIT $4`,
      [ticketId, isStaff(viewer), after?.[0] ?? 0, query.limit + 1],
    );
    return toPage(
      rows,
      query.limit,
      (row) => [row.seq],
      (row) => toEventResponse(row, viewer),
    );
  }

  async rate(viewer: Viewer, ticketId: string, request: SatisfactionRequest): Promise<TicketResult> {
    const updated = await this.dataSource.transaction(async (manager) => {
      const now = this.clock.now();
      const state = await this.findVisible(manager, viewer, ticketId, true);
      const { ticket } = state;
      if (viewer.id !== ticket.requesterId) {
        throw new AppError('forbidden', 'Only the requester may rate a ticket.');
      }
      if (ticket.status !== 'solved' && ticket.status !== 'closed') {
        throw new AppError('invalid_transition', 'A ticket can be rated once it is solved or closed.');
      }
      if (ticket.satisfaction) throw new AppError('conflict', 'This ticket has already been rated.');
      const text = this.secrets.inspect({ comment: request.comment ?? '' });
      const satisfaction = {
        rating: request.rating,
        comment: request.comment === undefined ? null : text.values.comment,
        createdAt: now.toISOString(),
      };
      const changes: Partial<Ticket> = { satisfaction };
      const events: TimelineEvent[] = [
        {
          type: 'ticket.satisfaction',
          actor: actorOf(viewer),
          data: { rating: request.rating, comment: satisfaction.comment },
        },
      ];
      const triggers: SlaTrigger[] = [];
      if (text.redacted) await this.reportExposure(manager, ticket, text, changes, events, triggers, now);
      return this.commitChange(manager, state, changes, events, triggers, now);
    });
    return { ticket: toTicketResponse(updated, this.clock.now()), etag: etagOf(updated.ticket.version) };
  }

  /** The ticket if the viewer may see it (a customer only their own), else 404. */
  private async findVisible(
    manager: EntityManager | undefined,
    viewer: Viewer,
    id: string,
    lock = false,
  ): Promise<TicketWithSla> {
    const requesterId = isStaff(viewer) ? undefined : viewer.id;
    const state = await this.tickets.findWithSla(manager, id, { requesterId, lock });
    if (!state) throw AppError.notFound('Ticket');
    return state;
  }

  /**
   * A submission carried secrets (now redacted): tag the ticket, raise it to security for keys,
   * record each of those changes, and warn the customer (SPEC §9).
   */
  private async reportExposure(
    manager: EntityManager,
    ticket: Ticket,
    { kinds, unlabelledHexKey }: Pick<Inspected<Record<string, string>>, 'kinds' | 'unlabelledHexKey'>,
    changes: Partial<Ticket>,
    events: TimelineEvent[],
    triggers: SlaTrigger[],
    now: Date,
  ): Promise<void> {
    const current = { ...ticket, ...changes };
    const exposure = await this.secrets.exposureChanges(manager, current, kinds);
    const actor = SYSTEM_ACTOR;
    if (exposure.tags) {
      events.push({ type: 'ticket.tags_changed', actor, data: { from: current.tags, to: exposure.tags } });
    }
    if (exposure.priority) {
      events.push({
        type: 'ticket.priority_changed',
        actor,
        data: { from: current.priority, to: exposure.priority },
      });
      triggers.push({ type: 'policyInputsChanged' });
    }
    if (exposure.groupId) {
      events.push({
        type: 'ticket.group_changed',
        actor,
        data: { from: current.groupId, to: exposure.groupId, tier: exposure.tier },
      });
    }
    Object.assign(changes, exposure);
    events.push(...(await this.secrets.warn(manager, ticket, kinds, now, { unlabelledHexKey })));
  }

  /** Records a status change (if any) with its dates, timeline entry and SLA trigger. */
  private changeStatus(
    ticket: Ticket,
    to: TicketStatus,
    changes: Partial<Ticket>,
    events: TimelineEvent[],
    triggers: SlaTrigger[],
    actor: Actor,
    now: Date,
  ): void {
    const from = changes.status ?? ticket.status;
    if (to === from) return;
    if (!canTransition(from, to)) {
      throw new AppError('invalid_transition', `A ${from} ticket cannot become ${to}.`, {
        allowedFrom: from,
      });
    }
    changes.status = to;
    if (to === 'solved') changes.solvedAt = now;
    if (from === 'solved') changes.solvedAt = null;
    if (to === 'closed') changes.closedAt = now;
    events.push({ type: 'ticket.status_changed', actor, data: { from, to } });
    triggers.push({ type: 'statusChanged', from, to });
  }

  private async changeCategory(
    manager: EntityManager,
    ticket: Ticket,
    request: UpdateTicketRequest,
    changes: Partial<Ticket>,
    events: TimelineEvent[],
    actor: Actor,
  ): Promise<void> {
    if (request.category === undefined && request.subcategory === undefined) return;
    const category = request.category ?? ticket.category;
    const subcategory =
      request.subcategory ?? (request.category === undefined ? ticket.subcategory : undefined);
    const rules = await this.tickets.categoryRules(manager, category);
    if (!rules || !rules.enabled) {
      throw AppError.validation([{ field: 'category', message: 'is not an available category' }]);
    }
    if (!subcategory || !rules.subcategories.some((sub) => sub.key === subcategory && sub.enabled)) {
      throw AppError.validation([
        { field: 'subcategory', message: `is not an available subcategory of ${category}` },
      ]);
    }
    if (category === ticket.category && subcategory === ticket.subcategory) return;
    events.push({
      type: 'ticket.category_changed',
      actor,
      data: {
        from: { category: ticket.category, subcategory: ticket.subcategory },
        to: { category, subcategory },
      },
    });
    Object.assign(changes, { category, subcategory });
    // Routing follows the category at the ticket's tier, unless this change also names a group.
    if (category !== ticket.category && request.groupId === undefined) {
      const group = await this.tickets.groupForTier(manager, category, ticket.tier);
      if (group && group.id !== ticket.groupId) {
        events.push({
          type: 'ticket.group_changed',
          actor,
          data: { from: ticket.groupId, to: group.id, tier: group.tier },
        });
        Object.assign(changes, { groupId: group.id, tier: group.tier });
      }
    }
  }

  /** Applies the SLA triggers, writes the ticket under its version guard and records the timeline. */
  async commitChange(
    manager: EntityManager,
    state: TicketWithSla,
    changes: Partial<Ticket>,
    events: TimelineEvent[],
    triggers: SlaTrigger[],
    now: Date,
  ): Promise<TicketWithSla> {
    const next: TicketWithSla = { ...state, ticket: { ...state.ticket, ...changes } };
    const outcome = await this.sla.apply(manager, next, triggers, now);
    await this.sla.save(manager, state.ticket.id, outcome);
    const version = await this.tickets.update(
      manager,
      state.ticket.id,
      state.ticket.version,
      { ...changes, ...outcome.changes },
      now,
    );
    if (version === undefined) {
      throw new AppError('precondition_failed', 'The ticket changed while this request was applied; retry.');
    }
    await this.timeline.record(manager, state.ticket.id, [...events, ...outcome.events], now);
    return (await this.tickets.findWithSla(manager, state.ticket.id))!;
  }
}
