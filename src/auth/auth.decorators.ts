import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role, Viewer } from './roles';

export const PUBLIC_KEY = 'auth:public';
export const ROLES_KEY = 'auth:roles';

/** No token needed (docs, health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** Only these roles may call the route; any authenticated role when absent. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

/** The authenticated caller. */
export const CurrentViewer = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Viewer => context.switchToHttp().getRequest().viewer,
);
