import type { SNSEvent } from 'aws-lambda';
import { acceptInboundMessage } from '../../shared/channels/accept';
import { inboundSmsSchema, normaliseSms } from '../../shared/channels/sms';
import { logger } from '../lib/logger';
import { crmStore, queue } from '../lib/services';

const store = crmStore();
const inbound = queue('inbound');

/**
 * Inbound SMS from the End User Messaging SNS topic. SNS retries a failed
 * invocation, so retryable errors throw; malformed payloads are logged and dropped.
 */
export const handler = async (event: SNSEvent): Promise<void> => {
  for (const record of event.Records) {
    const log = { snsMessageId: record.Sns.MessageId };
    let payload: unknown;
    try {
      payload = JSON.parse(record.Sns.Message);
    } catch {
      logger.error('dropped: SNS message is not JSON', log);
      continue;
    }
    const sms = inboundSmsSchema.safeParse(payload);
    if (!sms.success) {
      logger.error('dropped: not an inbound SMS', { ...log, issues: sms.error.issues.map((i) => i.path.join('.')) });
      continue;
    }
    const parsed = normaliseSms(sms.data, new Date(record.Sns.Timestamp));
    if (parsed.kind === 'skip') {
      logger.warn('skipped', { ...log, reason: parsed.reason });
      continue;
    }
    const result = await acceptInboundMessage({ store, inbound }, parsed.message);
    logger.info('accepted', { ...log, ...result });
  }
};
