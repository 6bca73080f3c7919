import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CalibratedClock } from './calibrated-clock';

/** How often the offset to the database's clock is measured again. */
export const CLOCK_CALIBRATION_INTERVAL_MS = 30_000;

/** An offset change larger than this is logged as a warning (a clock was stepped, or drifts fast). */
const OFFSET_JUMP_WARN_MS = 1_000;

/**
 * The production clock: the process's clock calibrated to the database's (CalibratedClock), at
 * start and every CLOCK_CALIBRATION_INTERVAL_MS. A failed calibration keeps the last offset.
 */
@Injectable()
export class DatabaseClock extends CalibratedClock implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseClock.name);
  private timer?: NodeJS.Timeout;
  private calibrated = false;

  /** The embedded database runs in this process, on this clock: nothing to calibrate. */
  private readonly embedded: boolean;

  constructor(dataSource: DataSource) {
    super(async () => {
      const [row] = await dataSource.query(
        `SELECT (EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::float8 AS ms`,
      );
      return Number(row.ms);
    });
    this.embedded = !('url' in dataSource.options && Boolean(dataSource.options.url));
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.embedded) return;
    await this.recalibrate();
    this.timer = setInterval(() => void this.recalibrate(), CLOCK_CALIBRATION_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async recalibrate(): Promise<void> {
    const before = this.offset;
    try {
      const { offsetMs, roundTripMs } = await this.calibrate();
      if (!this.calibrated || Math.abs(offsetMs - before) > OFFSET_JUMP_WARN_MS) {
        const level = this.calibrated ? 'warn' : 'log';
        this.logger[level]({ offsetMs, roundTripMs }, "Clock calibrated to the database's");
      }
      this.calibrated = true;
    } catch (error) {
      this.logger.warn({ err: error, offsetMs: before }, 'Clock calibration failed; keeping the last offset');
    }
  }
}
