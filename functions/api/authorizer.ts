import type { APIGatewayRequestAuthorizerEventV2, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { authenticateApiKey, extractApiKey } from '../../shared/auth/api-keys';
import { mayCall } from '../../shared/auth/route-roles';
import type { AuthContext } from '../lib/http';
import { logger } from '../lib/logger';
import { apiKeyStore } from '../lib/services';

const store = apiKeyStore();

/**
 * HTTP API Lambda authorizer (simple responses): the key must exist, not be
 * revoked, and carry a role the route allows. The route key is part of the
 * identity sources, so API Gateway never reuses one route's answer for another.
 */
export const handler = async (
  event: APIGatewayRequestAuthorizerEventV2,
): Promise<APIGatewaySimpleAuthorizerWithContextResult<AuthContext>> => {
  const deny = { isAuthorized: false, context: { keyId: '', role: '' } };
  const secret = extractApiKey(event.headers ?? {});
  if (!secret) return deny;
  const key = await authenticateApiKey(store, secret);
  if (!key || !mayCall(event.routeKey, key.role)) {
    logger.info('denied', { routeKey: event.routeKey, keyId: key?.id ?? null });
    return deny;
  }
  return { isAuthorized: true, context: { keyId: key.id, role: key.role } };
};
