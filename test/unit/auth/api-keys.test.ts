import { describe, expect, it } from 'vitest';
import { authenticateApiKey, createApiKey, extractApiKey, hashApiKey, looksLikeApiKey } from '../../../shared/auth/api-keys';
import { mayCall } from '../../../shared/auth/route-roles';
import { NotFoundError } from '../../../shared/domain/errors';
import type { ApiKeyRecord, ApiKeyStore } from '../../../shared/auth/api-key-store';

/** A map-backed double of the port; the DynamoDB adapter has its own integration test. */
class MemoryKeys implements ApiKeyStore {
  readonly byHash = new Map<string, ApiKeyRecord>();
  async putKey(record: ApiKeyRecord, hash: string) {
    this.byHash.set(hash, { ...record });
  }
  async findByHash(hash: string) {
    return this.byHash.get(hash);
  }
  async list() {
    return [...this.byHash.values()];
  }
  async revoke(id: string, at: Date) {
    const r = [...this.byHash.values()].find((k) => k.id === id);
    if (!r) throw new NotFoundError(id);
    r.revokedAt = at.toISOString();
    return r;
  }
}

describe('API keys', () => {
  it('stores only the hash and authenticates the secret', async () => {
    const store = new MemoryKeys();
    const { apiKey, secret } = await createApiKey(store, { role: 'agent', name: 'desk' }, new Date());
    expect(looksLikeApiKey(secret)).toBe(true);
    expect([...store.byHash.keys()]).toEqual([hashApiKey(secret)]);
    expect(JSON.stringify([...store.byHash.values()])).not.toContain(secret);
    expect(await authenticateApiKey(store, secret)).toMatchObject({ id: apiKey.id, role: 'agent' });
  });

  it('refuses unknown, malformed and revoked keys', async () => {
    const store = new MemoryKeys();
    const { apiKey, secret } = await createApiKey(store, { role: 'admin', name: 'root' }, new Date());
    // Change the last character to a different one (a fixed 'A' would be the same key 1 time in 64).
    const tampered = `${secret.slice(0, -1)}${secret.endsWith('A') ? 'B' : 'A'}`;
    expect(await authenticateApiKey(store, tampered)).toBeUndefined();
    expect(await authenticateApiKey(store, 'hello')).toBeUndefined();
    await store.revoke(apiKey.id, new Date());
    expect(await authenticateApiKey(store, secret)).toBeUndefined();
  });

  it('reads bearer tokens and x-api-key', () => {
    expect(extractApiKey({ authorization: 'Bearer abc' })).toBe('abc');
    expect(extractApiKey({ authorization: 'bearer  abc ' })).toBe('abc');
    expect(extractApiKey({ 'x-api-key': 'k' })).toBe('k');
    expect(extractApiKey({ authorization: 'Basic xyz' })).toBeUndefined();
    expect(extractApiKey({})).toBeUndefined();
  });

  it('takes route roles from the topology', () => {
    expect(mayCall('GET /v1/tickets', 'agent')).toBe(true);
    expect(mayCall('GET /v1/tickets', 'integration')).toBe(false);
    expect(mayCall('POST /v1/api-keys', 'agent')).toBe(false);
    expect(mayCall('POST /v1/api-keys', 'admin')).toBe(true);
    expect(mayCall('GET /v1/unknown', 'admin')).toBe(false);
  });
});
