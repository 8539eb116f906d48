import { sweepPendingMessages } from '../../shared/pipeline/sweep';
import { logger } from '../lib/logger';
import { crmStore, queue } from '../lib/services';

const store = crmStore();
const inbound = queue('inbound');

/** Scheduled: re-enqueues messages that were stored but never routed. */
export const handler = async (): Promise<{ requeued: number; givenUp: number }> => {
  const result = await sweepPendingMessages({ store, inbound }, new Date());
  if (result.requeued || result.givenUp.length) logger.warn('swept pending messages', { ...result });
  return { requeued: result.requeued, givenUp: result.givenUp.length };
};
