import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { translate } from './dynamo-errors';

/** BatchWriteItem takes 25 items per call. */
const WRITE_BATCH = 25;
/** Retries of unprocessed items (throttling) before the write fails as a DependencyError. */
export const MAX_UNPROCESSED_RETRIES = 6;

/** Exponential backoff between retries of unprocessed items: 100 ms, 200 ms, ... */
export const backoff = (attempt: number): Promise<void> => new Promise((r) => setTimeout(r, 50 * 2 ** attempt));

/**
 * Puts items 25 at a time, retrying unprocessed items with exponential backoff. Puts
 * replace items with the same key, so a retried or repeated call leaves the same items.
 */
export async function batchPut(doc: DynamoDBDocumentClient, table: string, items: ReadonlyArray<Record<string, unknown>>, what: string): Promise<void> {
  for (let i = 0; i < items.length; i += WRITE_BATCH) {
    let request: Record<string, unknown[]> = { [table]: items.slice(i, i + WRITE_BATCH).map((Item) => ({ PutRequest: { Item } })) };
    for (let attempt = 0; Object.keys(request).length; attempt++) {
      if (attempt > MAX_UNPROCESSED_RETRIES) translate(new Error(`${what}: items stayed unprocessed (throttled)`), what);
      if (attempt) await backoff(attempt);
      try {
        const out = await doc.send(new BatchWriteCommand({ RequestItems: request as never }));
        request = (out.UnprocessedItems ?? {}) as Record<string, unknown[]>;
      } catch (err) {
        translate(err, what);
      }
    }
  }
}
