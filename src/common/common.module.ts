import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import { Clock } from './clock/clock';
import { DatabaseClock } from './clock/database-clock';
import { IdempotencyService } from './idempotency/idempotency.service';

/**
 * Process-wide services every feature may inject: the clock and idempotent request handling. The
 * clock is the one given (tests move theirs), else the process's clock calibrated to the database's.
 */
@Global()
@Module({})
export class CommonModule {
  static forRoot(clock?: Clock): DynamicModule {
    const clockProviders: Provider[] = clock
      ? [{ provide: Clock, useValue: clock }]
      : [DatabaseClock, { provide: Clock, useExisting: DatabaseClock }];
    return {
      module: CommonModule,
      providers: [...clockProviders, IdempotencyService],
      exports: [Clock, IdempotencyService],
    };
  }
}
