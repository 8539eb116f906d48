import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import { classifiedMessageSchema } from '../../shared/domain/message';
import { SUGGESTIONS_PER_MESSAGE, type SuggestFn } from '../../shared/knowledge/answer-plan';
import { knowledgeIndexCache, suggestWithBodies } from '../../shared/knowledge/index-cache';
import { ActivityMemo, activityOf } from '../../shared/analytics/customer-activity';
import { routeMessage, type ActivityContext } from '../../shared/routing/route-message';
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
// Customer-months this container has seen marked active (churn): no marker read for them.
const activityMemo = new ActivityMemo();
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
  const { message } = input;
  const activity = (customerId: string, opts: ActivityContext) =>
    activityOf(reporting, { customerId, channel: message.channel, at: message.receivedAt, timeZone: settings.REPORTING_TIME_ZONE, messageId: message.messageId, ...opts }, activityMemo);
  const result = await routeMessage(store, input, new Date(), { suggest, activity });
  // After the write. A redelivered record would not send it again (already routed), so a failed
  // send is logged, not retried: the reply stays queued in the table and the sweeper re-sends it.
  if ('deliver' in result && result.deliver) {
    await outbound.send({ messageId: result.deliver }).catch((err: unknown) => logger.warn('auto-reply not queued; the sweeper will', { messageId: result.deliver, error: err as Error }));
  }
  logger.debug('routed', { messageId: input.message.messageId, ...result });
};

/** Routes each classified message; failures are reported per record and retried by SQS. */
export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, routeRecord, processor, { context });
