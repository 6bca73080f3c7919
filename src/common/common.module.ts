import { type DynamicModule, Global, Module } from '@nestjs/common';
import { Clock, SystemClock } from './clock/clock';
import { IdempotencyService } from './idempotency/idempotency.service';

/** Process-wide services every feature may inject: the clock and idempotent request handling. */
@Global()
@Module({})
export class CommonModule {
  static forRoot(clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: CommonModule,
      providers: [{ provide: Clock, useValue: clock }, IdempotencyService],
      exports: [Clock, IdempotencyService],
    };
  }
}
