import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { classifiedMessageSchema } from '../../shared/domain/message';
import { SUGGESTIONS_PER_MESSAGE, type SuggestFn } from '../../shared/knowledge/answer-plan';
import { knowledgeIndexCache, suggestWithBodies } from '../../shared/knowledge/index-cache';
import { recordCustomerActivity } from '../../shared/analytics/customer-activity';
import { routeMessage } from '../../shared/routing/route-message';
import { readConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { countingCrmStore, knowledgeStore, queue, reportingStore } from '../lib/services';
import { timeZoneSchema } from '../lib/time-zone';
import { parseRecord } from '../lib/sqs';

const store = countingCrmStore();
const reporting = reportingStore();
const outbound = queue('outbound');
const settings = readConfig({ REPORTING_TIME_ZONE: timeZoneSchema });
const processor = new BatchProcessor(EventType.SQS);
const knowledge = knowledgeStore();
// The articles, loaded once per container and kept for INDEX_TTL_MS (as the knowledge API does).
const knowledgeIndex = knowledgeIndexCache(() => knowledge.listAll());

/**
 * Suggestions are an extra: when the knowledge base cannot be read the message is still
 * routed (to an agent, with no suggestion) rather than held back; the next load retries.
 */
const suggest: SuggestFn = async (text, category) => {
  try {
    return suggestWithBodies(await knowledgeIndex.current(), text, { limit: SUGGESTIONS_PER_MESSAGE, ...(category ? { category } : {}) });
  } catch (err) {
    logger.warn('knowledge base unavailable: routing without suggestions', { error: err as Error });
    return [];
  }
};

const routeRecord = async (record: SQSRecord): Promise<void> => {
  const input = parseRecord(record, classifiedMessageSchema);
  const result = await routeMessage(store, input, new Date(), { suggest });
  // After the write. A redelivered record would not send it again (already routed), so a failed
  // send is logged, not retried: the reply stays queued in the table and the sweeper re-sends it.
  if ('deliver' in result && result.deliver) {
    await outbound.send({ messageId: result.deliver }).catch((err: unknown) => logger.warn('auto-reply not queued; the sweeper will', { messageId: result.deliver, error: err as Error }));
  }
  // After routing, and on a redelivery too: the marker makes it count once, so a failure
  // here (the record is retried) never loses the customer's activity.
  if (result.customerId) await recordCustomerActivity(reporting, result.customerId, input.message.channel, input.message.receivedAt, settings.REPORTING_TIME_ZONE);
  logger.debug('routed', { messageId: input.message.messageId, ...result });
};

/** Routes each classified message; failures are reported per record and retried by SQS. */
export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, routeRecord, processor, { context });
