import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import type { z } from 'zod';
import { issuesOf } from './problem';

/** A record's sequence number: what Lambda's ReportBatchItemFailures for streams expects back. */
export const sequenceNumberOf = (record: DynamoDBRecord): string => record.dynamodb?.SequenceNumber ?? '';

/**
 * Maps a stream record's new image (adapter code: attribute names stay in the adapters) and
 * validates it; throws with the field issues so the failure is logged usefully.
 */
export function parseStreamImage<S extends z.ZodType>(record: DynamoDBRecord, map: (image: Record<string, unknown>) => unknown, schema: S): z.infer<S> {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error(`Record ${sequenceNumberOf(record)} has no new image (the stream must be NEW_IMAGE)`);
  const parsed = schema.safeParse(map(image));
  if (!parsed.success) throw new Error(`Record ${sequenceNumberOf(record)} is malformed: ${JSON.stringify(issuesOf(parsed.error))}`);
  return parsed.data;
}

/** Lambda retries the shard from the lowest sequence number listed here (and what follows it). */
export const streamBatchFailures = (records: DynamoDBRecord[]): DynamoDBBatchResponse => ({
  batchItemFailures: records.map((r) => ({ itemIdentifier: sequenceNumberOf(r) })),
});
