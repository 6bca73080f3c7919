export const ROLES = ['customer', 'agent', 'supervisor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller, from the JWT's claims. */
export interface Viewer {
  id: string;
  role: Role;
  vip: number;
  name?: string;
  locale?: string;
}

/** Roles that act for the desk rather than as a customer. */
export const STAFF_ROLES: readonly Role[] = ['agent', 'supervisor', 'admin'];

export function isStaff(viewer: Viewer): boolean {
  return viewer.role !== 'customer';
}
