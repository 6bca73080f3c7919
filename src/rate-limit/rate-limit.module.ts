import { Module } from '@nestjs/common';
import { RateLimiter } from './rate-limiter';

/** Per-caller request limits (SPEC §12); the hook is installed by createApp (see rate-limit.hook.ts). */
@Module({ providers: [RateLimiter], exports: [RateLimiter] })
export class RateLimitModule {}
