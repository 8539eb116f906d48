/**
 * The local stack's first admin API key: made on first start and kept in the
 * data folder, so later starts can print it again (the table keeps only its hash).
 */
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoApiKeyStore } from '../../shared/adapters/dynamo-api-key-store';
import { createDocumentClient } from '../../shared/adapters/dynamo-client';
import { authenticateApiKey, createApiKey } from '../../shared/auth/api-keys';
import { LOCAL_CREDENTIALS } from './emulators';
import { LOCAL_REGION } from './lambda';

export interface AdminApiKey {
  /** The full `sbk_...` secret. */
  secret: string;
  /** Where the secret is saved (mode 0600); absent with in-memory data. */
  file?: string;
  /** True when this start made the key; false when the saved one still works. */
  created: boolean;
}

/**
 * Returns a working admin key: the one saved in `file` if the table still
 * knows it and it is not revoked, otherwise a new one (saved over the file).
 * Without `file` (throwaway in-memory data) a new key is made and saved nowhere.
 */
export async function ensureAdminApiKey(opts: {
  dynamodbEndpoint: string;
  tableName: string;
  file?: string;
  now?: Date;
}): Promise<AdminApiKey> {
  const client = new DynamoDBClient({ endpoint: opts.dynamodbEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  try {
    const store = new DynamoApiKeyStore({ tableName: opts.tableName, client: createDocumentClient(client) });
    if (opts.file) {
      const saved = await readFile(opts.file, 'utf8').then((s) => s.trim(), () => undefined);
      // The data folder may have been partly wiped (key file kept, tables gone): check before trusting it.
      if (saved && (await authenticateApiKey(store, saved))) return { secret: saved, file: opts.file, created: false };
    }
    const { secret } = await createApiKey(store, { role: 'admin', name: 'bootstrap admin' }, opts.now ?? new Date());
    if (!opts.file) return { secret, created: true };
    await writeFile(opts.file, `${secret}\n`, { mode: 0o600 });
    await chmod(opts.file, 0o600); // `mode` applies only when the file is created
    return { secret, file: opts.file, created: true };
  } finally {
    client.destroy();
  }
}
