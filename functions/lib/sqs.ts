import type { SQSRecord } from 'aws-lambda';
import type { z } from 'zod';
import { issuesOf } from './problem';

/** Parses a record's JSON body; throws with the field issues so the failure is logged usefully. */
export function parseRecord<S extends z.ZodType>(record: SQSRecord, schema: S): z.infer<S> {
  const parsed = schema.safeParse(JSON.parse(record.body));
  if (!parsed.success) {
    throw new Error(`Record ${record.messageId} is malformed: ${JSON.stringify(issuesOf(parsed.error))}`);
  }
  return parsed.data;
}
