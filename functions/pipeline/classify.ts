import type { SQSEvent, SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { classifyText } from '../../shared/classify/classify-message';
import { inboundMessageSchema, type ClassifiedMessage } from '../../shared/domain/message';
import { logger } from '../lib/logger';
import { queue } from '../lib/services';
import { batchFailures, parseRecord } from '../lib/sqs';

const routing = queue('routing');

/**
 * Classifies a batch of inbound messages and forwards them to routing with one
 * SendMessageBatch per ten records (a tenth of the SQS requests of one send each).
 * Classification is pure, so a redelivered record just produces the same output;
 * the route step is idempotent.
 */
export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const failed: SQSRecord[] = [];
  const outputs: Array<{ record: SQSRecord; body: ClassifiedMessage }> = [];
  for (const record of event.Records) {
    try {
      const message = parseRecord(record, inboundMessageSchema);
      const classification = classifyText({ text: message.text, ...(message.subject ? { subject: message.subject } : {}) });
      outputs.push({ record, body: { message, classification } });
    } catch (err) {
      logger.error('classification failed', { messageId: record.messageId, error: err as Error });
      failed.push(record);
    }
  }
  const sendFailures = await routing.sendBatch(outputs.map((o) => o.body));
  for (const i of sendFailures) if (outputs[i]) failed.push(outputs[i].record);
  if (sendFailures.length) logger.warn('routing queue refused messages', { count: sendFailures.length });
  return batchFailures(failed);
};
