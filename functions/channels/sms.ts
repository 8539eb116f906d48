import type { SNSEvent } from 'aws-lambda';
import { acceptInboundMessage } from '../../shared/channels/accept';
import { parseSnsSms } from '../../shared/channels/sms';
import { DependencyError, SwitchboardError } from '../../shared/domain/errors';
import { logger } from '../lib/logger';
import { crmStore } from '../lib/services';

// Adapters are built once, at cold start, from validated configuration.
const store = crmStore();

/**
 * Errors no retry can fix: a conflicting redelivery, an invalid message. Anything
 * else (DependencyError, SDK or unknown errors) is treated as retryable.
 */
const isPermanent = (err: unknown): err is SwitchboardError =>
  err instanceof SwitchboardError && !(err instanceof DependencyError) && err.status >= 400 && err.status < 500;

/**
 * Inbound SMS from the End User Messaging SNS topic (SNS invokes Lambda
 * asynchronously). Retryable failures (DynamoDB, SQS) throw so the invocation is
 * retried; accepting is idempotent on `inboundMessageId`, so a retry never
 * duplicates. Payloads that can never be accepted are logged and dropped.
 */
export const handler = async (event: SNSEvent): Promise<void> => {
  for (const record of event.Records ?? []) {
    const log = { snsMessageId: record?.Sns?.MessageId };
    if (typeof record?.Sns?.Message !== 'string') {
      logger.error('Record dropped: not an SNS notification', log);
      continue;
    }
    const parsed = parseSnsSms(record.Sns.Message, new Date(record.Sns.Timestamp));
    if (parsed.kind === 'skip') {
      logger.warn('SMS skipped', { ...log, reason: parsed.reason });
      continue;
    }
    try {
      const result = await acceptInboundMessage({ store }, parsed.message);
      logger.info('SMS accepted', { ...log, ...result });
    } catch (err) {
      if (!isPermanent(err)) throw err;
      logger.error('SMS dropped: cannot be accepted', { ...log, messageId: parsed.message.messageId, error: err.message });
    }
  }
};
