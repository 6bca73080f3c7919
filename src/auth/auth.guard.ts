import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import { PUBLIC_KEY, ROLES_KEY } from './auth.decorators';
import type { Role, Viewer } from './roles';
import { TokenVerifier } from './token-verifier';

declare module 'fastify' {
  interface FastifyRequest {
    viewer?: Viewer;
  }
}

/** Global guard: every route needs a valid token unless @Public(), and one of its @Roles() if given. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const viewer = await this.verifier.verify(request.headers.authorization);
    request.viewer = viewer;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(viewer.role)) {
      throw new AppError('forbidden', `This action needs one of the roles: ${roles.join(', ')}.`);
    }
    return true;
  }
}
