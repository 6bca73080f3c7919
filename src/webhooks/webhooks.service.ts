import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { etagOf, expectedVersion, staleVersion } from '../common/http/etag';
import { AppError } from '../common/errors/app-error';
import { decodeCursor, encodeCursor, type Page, type PageQuery } from '../common/validation/list-query';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { CreateWebhookRequest, UpdateWebhookRequest } from './dto/webhook.requests';
import {
  type CreatedWebhookResponse,
  type DeliveryAttemptResponse,
  toDeliveryAttemptResponse,
  toWebhookResponse,
  type WebhookResponse,
} from './dto/webhook.responses';
import { checkTarget } from './ssrf';
import { type Webhook, WebhooksRepository } from './webhooks.repository';

export interface WebhookResult {
  webhook: WebhookResponse;
  etag: string;
}

/** Endpoints' rules: http(s) targets that pass the SSRF check, a secret shown once, optimistic PATCH. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly webhooks: WebhooksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: PageQuery): Promise<Page<WebhookResponse>> {
    const after = query.cursor ? (decodeCursor(query.cursor, 2) as [string, string]) : undefined;
    if (after && !after.every((part) => typeof part === 'string')) {
      throw AppError.validation([{ field: 'cursor', message: 'is not a cursor this list issued' }]);
    }
    const rows = await this.webhooks.listPage(query.limit + 1, after);
    const page = rows.slice(0, query.limit);
    return {
      data: page.map((row) => toWebhookResponse(row.webhook)),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].position) : null,
    };
  }

  async get(id: string): Promise<WebhookResult> {
    const webhook = await this.find(id);
    return { webhook: toWebhookResponse(webhook), etag: etagOf(webhook.version) };
  }

  async create(input: CreateWebhookRequest): Promise<{ webhook: CreatedWebhookResponse; etag: string }> {
    await this.assertTarget(input.url);
    const secret = input.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
    const webhook = await this.webhooks.create({
      url: input.url,
      events: [...new Set(input.events)],
      secret,
      active: input.active ?? true,
    });
    return { webhook: { ...toWebhookResponse(webhook), secret }, etag: etagOf(webhook.version) };
  }

  async update(id: string, input: UpdateWebhookRequest, ifMatch?: string): Promise<WebhookResult> {
    const current = await this.find(id);
    const version = expectedVersion('webhook', ifMatch, current.version);
    if (input.url !== undefined) await this.assertTarget(input.url);
    const updated = await this.webhooks.update(
      id,
      {
        url: input.url,
        events: input.events && [...new Set(input.events)],
        secret: input.secret,
        active: input.active,
      },
      version,
    );
    if (!updated) {
      const now = await this.webhooks.findById(id);
      if (!now) throw AppError.notFound('Webhook');
      throw staleVersion('webhook', now.version);
    }
    return { webhook: toWebhookResponse(updated), etag: etagOf(updated.version) };
  }

  async remove(id: string): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw AppError.notFound('Webhook');
  }

  /** Every attempt to deliver to the endpoint, newest first. */
  async deliveries(id: string, query: PageQuery): Promise<Page<DeliveryAttemptResponse>> {
    await this.find(id);
    let before: string | undefined;
    if (query.cursor) {
      const [seq] = decodeCursor(query.cursor, 1);
      if (typeof seq !== 'string' || !/^\d{1,19}$/.test(seq)) {
        throw AppError.validation([{ field: 'cursor', message: 'is not a cursor this list issued' }]);
      }
      before = seq;
    }
    const rows = await this.webhooks.listAttempts(id, query.limit + 1, before);
    const page = rows.slice(0, query.limit);
    return {
      data: page.map(toDeliveryAttemptResponse),
      nextCursor: rows.length > query.limit ? encodeCursor([page[page.length - 1].seq]) : null,
    };
  }

  private async find(id: string): Promise<Webhook> {
    const webhook = await this.webhooks.findById(id);
    if (!webhook) throw AppError.notFound('Webhook');
    return webhook;
  }

  /** 400 on `url` for a non-http(s) URL or a host that is or resolves to a non-public address. */
  private async assertTarget(url: string): Promise<void> {
    const check = await checkTarget(url, this.config.WEBHOOK_ALLOW_PRIVATE, undefined, {
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
    });
    if (!check.ok) {
      const message =
        check.reason === 'blocked address'
          ? 'must not point to a loopback, private, link-local or otherwise internal address'
          : check.reason;
      throw AppError.validation([{ field: 'url', message }]);
    }
  }
}
