import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../domain/roles';
import type { ApiKeyRecord, ApiKeyStore } from './api-key-store';

const PREFIX = 'sbk_';

/** SHA-256 of the presented key; only the hash is stored. */
export const hashApiKey = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Cheap shape check so random headers never reach the table. */
export const looksLikeApiKey = (value: string): boolean => /^sbk_[A-Za-z0-9_-]{43}$/.test(value);

/**
 * Creates a key with a role. The secret is returned once and never stored:
 * the store keeps its hash only.
 */
export async function createApiKey(
  store: ApiKeyStore,
  input: { role: Role; name: string },
  now: Date,
): Promise<{ apiKey: ApiKeyRecord; secret: string }> {
  const secret = PREFIX + randomBytes(32).toString('base64url');
  const apiKey: ApiKeyRecord = {
    id: `key_${randomUUID().replaceAll('-', '')}`,
    name: input.name,
    role: input.role,
    createdAt: now.toISOString(),
  };
  await store.putKey(apiKey, hashApiKey(secret));
  return { apiKey, secret };
}

/** Resolves a presented key to its record; undefined when unknown or revoked. */
export async function authenticateApiKey(store: ApiKeyStore, secret: string): Promise<ApiKeyRecord | undefined> {
  if (!looksLikeApiKey(secret)) return undefined;
  const record = await store.findByHash(hashApiKey(secret));
  if (!record || record.revokedAt) return undefined;
  return record;
}

/** Pulls the key out of `Authorization: Bearer <key>` or `x-api-key`. */
export function extractApiKey(headers: Record<string, string | undefined>): string | undefined {
  const auth = headers['authorization'];
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    if (m) return m[1];
  }
  return headers['x-api-key']?.trim() || undefined;
}
