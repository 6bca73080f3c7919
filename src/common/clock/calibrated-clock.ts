import { Clock } from './clock';

/** Reads the database's clock once: its current time in epoch milliseconds. */
export type ReadDatabaseTime = () => Promise<number>;

/** One calibration: the offset found and the round trip of the reading it came from. */
export interface Calibration {
  offsetMs: number;
  roundTripMs: number;
}

/**
 * The process's clock set to the database's (SPEC §7: due times are judged by the database's
 * clock, so a process whose clock is skewed neither escalates early nor misses anything). Rather
 * than a round trip per decision, the offset between the two clocks is measured now and then
 * (`calibrate`) and `now()` is local time plus that offset.
 *
 * A reading is taken between two local instants; the database's time is taken to be that of their
 * midpoint, so the error is at most half the round trip. Of several readings the one with the
 * shortest round trip counts (a reading that waited for a busy connection says least), and only
 * if that round trip is within `maxRoundTripMs`: readings that all waited for a busy pool say too
 * little, and the last offset stays. Until the first calibration the offset is 0, the local clock.
 * `now()` never goes back: a smaller offset measured later holds the clock until it catches up.
 */
export class CalibratedClock extends Clock {
  private offsetMs = 0;
  private lastMs = -Infinity;

  constructor(
    private readonly readDatabaseTime: ReadDatabaseTime,
    private readonly localTime: () => number = Date.now,
    private readonly readings = 3,
    private readonly maxRoundTripMs = 100,
  ) {
    super();
  }

  now(): Date {
    this.lastMs = Math.max(this.localTime() + this.offsetMs, this.lastMs);
    return new Date(this.lastMs);
  }

  /** Database time minus local time, in milliseconds, as last measured. */
  get offset(): number {
    return this.offsetMs;
  }

  /** Measures the offset again; a failed reading rejects and leaves the offset as it was. */
  async calibrate(): Promise<Calibration> {
    let best: Calibration | undefined;
    for (let reading = 0; reading < this.readings; reading++) {
      const sent = this.localTime();
      const databaseTime = await this.readDatabaseTime();
      const received = this.localTime();
      if (!Number.isFinite(databaseTime)) throw new Error(`Not a database time: ${databaseTime}`);
      const roundTripMs = received - sent;
      if (!best || roundTripMs < best.roundTripMs) {
        best = { offsetMs: Math.round(databaseTime - (sent + received) / 2), roundTripMs };
      }
    }
    if (best!.roundTripMs > this.maxRoundTripMs) {
      throw new Error(`The quickest clock reading took ${best!.roundTripMs} ms: too slow to tell the offset`);
    }
    this.offsetMs = best!.offsetMs;
    return best!;
  }
}
