import { sweepOutbox } from '../../shared/outbound/deliver';
import { sweepPendingMessages } from '../../shared/pipeline/sweep';
import { logger } from '../lib/logger';
import { crmStore, outboxStore, queue } from '../lib/services';

const store = crmStore();
const outbox = outboxStore();
const outbound = queue('outbound');

/** Scheduled: hands messages stored but never routed to the pipeline again (through the crm stream), and re-enqueues replies queued but never delivered. */
export const handler = async (): Promise<{ requeued: number; givenUp: number; repliesRequeued: number; repliesGivenUp: number }> => {
  const result = await sweepPendingMessages({ store }, new Date());
  if (result.requeued || result.givenUp.length) logger.warn('swept pending messages', { ...result });
  const replies = await sweepOutbox({ store: outbox, outbound }, new Date());
  if (replies.requeued || replies.givenUp) logger.warn('swept the outbox', { ...replies });
  return { requeued: result.requeued, givenUp: result.givenUp.length, repliesRequeued: replies.requeued, repliesGivenUp: replies.givenUp };
};
