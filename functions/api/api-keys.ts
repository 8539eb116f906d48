import * as z from 'zod';
import { createApiKey } from '../../shared/auth/api-keys';
import { ROLES } from '../../shared/domain/roles';
import { httpRoutes, json, parseJsonBody, parsePath } from '../lib/http';
import { apiKeyStore } from '../lib/services';

const store = apiKeyStore();

const createInput = z.strictObject({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
});

/** Admins manage API keys; a key's secret is shown once, at creation. */
export const handler = httpRoutes({
  'GET /v1/api-keys': async () => json(200, { apiKeys: await store.list() }),
  'POST /v1/api-keys': async (event) => {
    const input = parseJsonBody(event, createInput, 4096);
    const { apiKey, secret } = await createApiKey(store, input, new Date());
    return json(201, { apiKey, secret }, { location: `/v1/api-keys/${apiKey.id}` });
  },
  'DELETE /v1/api-keys/{id}': async (event) => {
    const { id } = parsePath(event, z.object({ id: z.string().regex(/^key_[a-f0-9]{32}$/, 'is not an API key id') }));
    return json(200, { apiKey: await store.revoke(id, new Date()) });
  },
});
