import { Logger } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import type { IdempotencyService } from '../../src/common/idempotency/idempotency.service';
import type { AppConfig } from '../../src/config/app-config';
import type { EscalationMetrics } from '../../src/escalation/escalation.metrics';
import type { SlaBreachFeed } from '../../src/sla/sla-breach-feed';
import { ESCALATION_INTERVAL, EscalationScheduler } from '../../src/escalation/escalation.scheduler';
import type { BatchResult, EscalationService } from '../../src/escalation/escalation.service';

/** A promise the test settles by hand. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

const batch = (claimed: number): BatchResult => ({
  claimed,
  atRisk: 0,
  breaches: claimed,
  escalations: 0,
  autoClosed: 0,
});

/**
 * The scheduler over fakes: `runBatch` answers with the promises the test queues, in call order;
 * two batch loops per run (as on PostgreSQL), batches of 10.
 */
function scheduler(options: { enabled?: boolean } = {}) {
  const batches: Promise<BatchResult>[] = [];
  const escalation = { runBatch: jest.fn(() => batches.shift() ?? Promise.resolve(batch(0))) };
  const metrics = { record: jest.fn(), runDuration: { observe: jest.fn() } };
  const idempotency = { purgeOlderThan: jest.fn(async () => 0) };
  const registry = new SchedulerRegistry();
  const config = {
    DATABASE_URL: 'postgres://db.invalid/desk',
    ESCALATION_CONCURRENCY: 2,
    ESCALATION_BATCH_SIZE: 10,
    ESCALATION_INTERVAL_S: 30,
    SCHEDULER_ENABLED: options.enabled ?? false,
  } as AppConfig;
  const breachListeners: ((count: number) => void)[] = [];
  const breaches = { subscribe: (listener: (count: number) => void) => breachListeners.push(listener) };
  const subject = new EscalationScheduler(
    escalation as unknown as EscalationService,
    metrics as unknown as EscalationMetrics,
    idempotency as unknown as IdempotencyService,
    registry,
    config,
    breaches as unknown as SlaBreachFeed,
  );
  return { subject, batches, escalation, idempotency, registry, metrics, breachListeners };
}

/** Lets every settled promise's callbacks run. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('EscalationScheduler', () => {
  beforeAll(() => Logger.overrideLogger(false));
  afterAll(() => Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']));

  it('counts breaches recorded outside the sweep (a late answer) in the breach metric', () => {
    const { metrics, breachListeners } = scheduler();

    for (const listener of breachListeners) listener(2);

    expect(metrics.record).toHaveBeenCalledWith({
      claimed: 0,
      atRisk: 0,
      breaches: 2,
      escalations: 0,
      autoClosed: 0,
    });
  });

  it('ends a run only when every batch loop has ended, also when one of them fails', async () => {
    // Loop 1's batch fails at once; loop 2's batch is still in flight: the run must wait for it.
    const { subject, batches } = scheduler();
    const slow = deferred<BatchResult>();
    batches.push(Promise.reject(new Error('deadlock detected')), slow.promise);
    let finished = false;

    const run = subject.tick().then((report) => {
      finished = true;
      return report;
    });
    await flush();
    const whileInFlight = { finished, sameRun: subject.tick() === subject.tick() };
    slow.resolve(batch(3));
    const report = await run;

    expect({ whileInFlight, finished, report }).toMatchObject({
      whileInFlight: { finished: false, sameRun: true },
      finished: true,
      report: { error: 'deadlock detected', ticketsProcessed: 3, breaches: 3, batches: 2 },
    });
    expect(report.finishedAt).not.toBeNull();
  });

  it('a tick during a run joins it; the next tick after it starts a new run', async () => {
    const { subject, batches, escalation } = scheduler();
    const slow = deferred<BatchResult>();
    batches.push(slow.promise);

    const first = subject.tick();
    const joined = subject.tick();
    slow.resolve(batch(1));
    await first;
    const second = subject.tick();
    await second;

    expect({
      joined: joined === first,
      second: second === first,
      calls: escalation.runBatch.mock.calls.length,
    })
      // first run: 2 loops (one batch each); second run: 2 more
      .toEqual({ joined: true, second: false, calls: 4 });
  });

  it('forgets idempotency keys older than 24 h at each run', async () => {
    const { subject, idempotency } = scheduler();

    await subject.tick();

    expect(idempotency.purgeOlderThan).toHaveBeenCalledWith(24, expect.any(Number));
  });

  it('a failing purge is reported and does not fail the sweep', async () => {
    const { subject, idempotency } = scheduler();
    idempotency.purgeOlderThan.mockRejectedValueOnce(new Error('connection reset'));

    const report = await subject.tick();

    expect(report).toMatchObject({ error: 'connection reset', batches: 2 });
  });

  it('registers its interval with @nestjs/schedule, and shutdown removes it and waits for the batch in flight', async () => {
    const { subject, batches, registry } = scheduler({ enabled: true });
    const slow = deferred<BatchResult>();
    batches.push(slow.promise);

    subject.onApplicationBootstrap(); // the catch-up run starts at the next turn
    const registered = registry.getIntervals();
    await flush();
    let stopped = false;
    const shutdown = subject.onApplicationShutdown().then(() => (stopped = true));
    await flush();
    const beforeBatchEnds = stopped;
    slow.resolve(batch(1));
    await shutdown;

    expect({ registered, beforeBatchEnds, stopped, left: registry.getIntervals() }).toEqual({
      registered: [ESCALATION_INTERVAL],
      beforeBatchEnds: false,
      stopped: true,
      left: [],
    });
  });
});
