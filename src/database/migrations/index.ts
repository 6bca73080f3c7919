import type { MigrationInterface } from 'typeorm';
import { DeskSchema1763798400000 } from './1763798400000-desk-schema';
import { SeedDesk1763798400001 } from './1763798400001-seed-desk';
import { Attachments1763798400002 } from './1763798400002-attachments';
import { Webhooks1763798400003 } from './1763798400003-webhooks';
import { TimerElapsed1763798400004 } from './1763798400004-timer-elapsed';
import { SlaTimersFillfactor1763798400005 } from './1763798400005-sla-timers-fillfactor';
import { ResourceVersions1763798400050 } from './1763798400050-resource-versions';
import { WebhookOutboxFairness1763798400060 } from './1763798400060-webhook-outbox-fairness';
import { TimerCarriedElapsed1763798400100 } from './1763798400100-timer-carried-elapsed';

/** Every migration in order, listed once for the app and the migration CLI. */
export const MIGRATIONS: (new () => MigrationInterface)[] = [
  DeskSchema1763798400000,
  SeedDesk1763798400001,
  Attachments1763798400002,
  Webhooks1763798400003,
  TimerElapsed1763798400004,
  SlaTimersFillfactor1763798400005,
  ResourceVersions1763798400050,
  WebhookOutboxFairness1763798400060,
  TimerCarriedElapsed1763798400100,
];
