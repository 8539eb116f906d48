import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { classifiedMessageSchema } from '../../shared/domain/message';
import { routeMessage } from '../../shared/routing/route-message';
import { logger } from '../lib/logger';
import { countingCrmStore } from '../lib/services';
import { parseRecord } from '../lib/sqs';

const store = countingCrmStore();
const processor = new BatchProcessor(EventType.SQS);

const routeRecord = async (record: SQSRecord): Promise<void> => {
  const input = parseRecord(record, classifiedMessageSchema);
  const result = await routeMessage(store, input, new Date());
  logger.debug('routed', { messageId: input.message.messageId, ...result });
};

/** Routes each classified message; failures are reported per record and retried by SQS. */
export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, routeRecord, processor, { context });
