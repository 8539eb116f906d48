import type { Role } from '../domain/roles';

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt?: string;
}

export interface ApiKeyStore {
  /** Stores a new key under its hash; fails if the hash exists. */
  putKey(record: ApiKeyRecord, hash: string): Promise<void>;
  findByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  list(): Promise<ApiKeyRecord[]>;
  /** Marks the key revoked; throws NotFoundError when no key has this id. */
  revoke(id: string, at: Date): Promise<ApiKeyRecord>;
}
