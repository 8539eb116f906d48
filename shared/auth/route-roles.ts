import { functionList } from '../../infra/topology';
import type { Role } from '../domain/roles';

/** Roles allowed per API Gateway route key (`"GET /v1/tickets/{id}"`), from the topology. */
export const routeRoles: ReadonlyMap<string, readonly Role[]> = new Map(
  functionList().flatMap(([, spec]) =>
    spec.trigger.kind === 'http'
      ? spec.trigger.routes.flatMap((r) => (r.auth === 'public' ? [] : [[`${r.method} ${r.path}`, r.auth] as const]))
      : [],
  ),
);

/** Whether a key with `role` may call the route; unknown routes are refused. */
export const mayCall = (routeKey: string, role: Role): boolean => routeRoles.get(routeKey)?.includes(role) ?? false;
