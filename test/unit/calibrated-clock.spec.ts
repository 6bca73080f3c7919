import { CalibratedClock } from '../../src/common/clock/calibrated-clock';

/**
 * A local clock and a database whose clock runs `skewMs` ahead of it; each reading takes the given
 * round trips (ms), the database answering after `answerAfter` of each one.
 */
function world(skewMs: number, roundTrips: number[], answerAfter = (roundTrip: number) => roundTrip / 2) {
  let local = Date.UTC(2025, 2, 3, 10, 0, 0);
  const trips = [...roundTrips];
  const readDatabaseTime = async () => {
    const trip = trips.shift() ?? 10;
    const answeredAt = local + answerAfter(trip);
    local += trip;
    return answeredAt + skewMs;
  };
  return {
    clock: new CalibratedClock(readDatabaseTime, () => local),
    localNow: () => local,
  };
}

describe('CalibratedClock', () => {
  it('is the local clock until calibrated', () => {
    const { clock, localNow } = world(5_000, []);

    expect(clock.now().getTime()).toBe(localNow());
  });

  it('adds the measured offset: a database 90 s ahead, answered mid-way through a 20 ms round trip', async () => {
    // sent t, database reads t + 10 + 90 000, received t + 20 → offset = (t + 90 010) − (t + 10) = 90 000
    const { clock, localNow } = world(90_000, [20, 20, 20]);

    const calibration = await clock.calibrate();

    expect(calibration).toEqual({ offsetMs: 90_000, roundTripMs: 20 });
    expect(clock.now().getTime()).toBe(localNow() + 90_000);
  });

  it('a process clock running ahead is set back to the database time', async () => {
    const { clock, localNow } = world(-3_600_000, [4, 4, 4]);

    await clock.calibrate();

    expect(clock.now().getTime()).toBe(localNow() - 3_600_000);
  });

  it('trusts the reading with the shortest round trip, whose error is at most half of it', async () => {
    // Readings of 400, 6 and 250 ms; each waited for a connection and was answered at its very end
    // (the worst case). The 6 ms one counts: offset 1000 + 6/2 = 1003, 3 ms off.
    const { clock } = world(1_000, [400, 6, 250], (trip) => trip);

    const calibration = await clock.calibrate();

    expect(calibration).toEqual({ offsetMs: 1_003, roundTripMs: 6 });
  });

  it('follows the database clock when it is measured again', async () => {
    // Instant answers (0 ms round trip): the offset is exactly the skew.
    let local = 1_000_000;
    let skew = 2_000;
    const clock = new CalibratedClock(
      async () => local + skew,
      () => local,
    );
    await clock.calibrate();
    local += 30_000;
    skew = 500; // the database's clock was stepped back 1.5 s

    await clock.calibrate();

    expect(clock.now().getTime()).toBe(local + 500);
  });

  it('keeps the last offset when a reading fails', async () => {
    let fail = false;
    let local = 1_000_000;
    const clock = new CalibratedClock(
      async () => {
        if (fail) throw new Error('connection refused');
        return local + 250;
      },
      () => local,
      1,
    );
    await clock.calibrate();
    fail = true;

    await expect(clock.calibrate()).rejects.toThrow('connection refused');
    local += 1_000;
    expect(clock.now().getTime()).toBe(1_001_250);
  });

  it('refuses a reading that is not a time', async () => {
    const clock = new CalibratedClock(
      async () => Number.NaN,
      () => 0,
      1,
    );

    await expect(clock.calibrate()).rejects.toThrow('Not a database time');
    expect(clock.offset).toBe(0);
  });
});

describe('CalibratedClock on a busy pool', () => {
  it('keeps the last offset when even the quickest reading took longer than the bound', async () => {
    // Readings of 300, 250 and 400 ms (each waited for a connection): none tells the offset to
    // better than ±125 ms, so the 1 s offset measured before stays.
    let local = 1_000_000;
    const trips = [2, 2, 2, 300, 250, 400];
    const clock = new CalibratedClock(
      async () => {
        const trip = trips.shift()!;
        local += trip;
        return local + 1_000;
      },
      () => local,
    );
    await clock.calibrate();
    const before = clock.offset;

    await expect(clock.calibrate()).rejects.toThrow(/250 ms/);

    expect(clock.offset).toBe(before);
  });

  it('never goes back when a later offset is smaller: it holds until local time catches up', async () => {
    // Offset +150 ms, then 0: the clock read t + 150 and must not read t + 10 next.
    let local = 5_000_000;
    let skew = 150;
    const clock = new CalibratedClock(
      async () => local + skew,
      () => local,
    );
    await clock.calibrate();
    const first = clock.now().getTime(); // t + 150
    skew = 0;
    await clock.calibrate();
    local += 10;

    expect(clock.now().getTime()).toBe(first); // t + 10 would be 140 ms back
    local += 200;
    expect(clock.now().getTime()).toBe(local); // caught up: local time again
  });
});
