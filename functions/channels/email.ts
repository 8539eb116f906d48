import type { SESEvent, SESEventRecord } from 'aws-lambda';
import { RAW_MAIL_PREFIX } from '../../infra/topology';
import { acceptInboundMessage } from '../../shared/channels/accept';
import { parseEmail } from '../../shared/channels/email';
import { DependencyError, SwitchboardError } from '../../shared/domain/errors';
import { RawMailNotFoundError } from '../../shared/domain/raw-mail';
import { logger } from '../lib/logger';
import { crmStore, rawMailStore } from '../lib/services';

// Configuration is read once, at cold start: a missing binding fails loudly there.
const rawMail = await rawMailStore();
const store = crmStore();

/**
 * Errors no retry can fix: a conflicting redelivery, an invalid message. Anything
 * else (DependencyError, SDK or unknown errors) is treated as retryable.
 */
const isPermanent = (err: unknown): err is SwitchboardError =>
  err instanceof SwitchboardError && !(err instanceof DependencyError) && err.status >= 400 && err.status < 500;

/** Why SES's verdicts say this mail must be dropped unread, if they do. */
function verdictReason({ receipt }: SESEventRecord['ses']): string | undefined {
  if (receipt.virusVerdict?.status === 'FAIL') return 'virus verdict FAIL';
  if (receipt.spamVerdict?.status === 'FAIL') return 'spam verdict FAIL';
  // A sender whose domain asks for rejection and fails DMARC is spoofed: it must not land on a real customer's tickets.
  if (receipt.dmarcVerdict?.status === 'FAIL' && receipt.dmarcPolicy === 'reject') return 'DMARC FAIL with policy reject';
  return undefined;
}

async function processRecord(record: SESEventRecord): Promise<void> {
  const { mail, receipt } = record.ses;
  const log = { sesMessageId: mail.messageId };
  const dropped = verdictReason(record.ses);
  if (dropped) {
    logger.warn('Mail dropped by SES verdict', { ...log, reason: dropped });
    return;
  }
  let raw: Buffer;
  try {
    raw = await rawMail.read(RAW_MAIL_PREFIX + mail.messageId);
  } catch (err) {
    if (!(err instanceof RawMailNotFoundError)) throw err;
    logger.error('Mail dropped: raw MIME not in the bucket', { ...log, key: err.key });
    return;
  }
  const parsed = await parseEmail(raw, { sesMessageId: mail.messageId, receivedAt: mail.timestamp, recipients: receipt.recipients });
  if (parsed.kind === 'skip') {
    logger.info('Mail skipped', { ...log, reason: parsed.reason });
    return;
  }
  try {
    const result = await acceptInboundMessage({ store }, parsed.message);
    logger.info('Mail accepted', { ...log, ...result, attachments: parsed.message.attachments.length });
  } catch (err) {
    if (!isPermanent(err)) throw err;
    logger.error('Mail dropped: cannot be accepted', { ...log, messageId: parsed.message.messageId, error: err.message });
  }
}

/**
 * SES receipt rule, Lambda action (asynchronous invocation), after the S3 action
 * stored the raw MIME at `RAW_MAIL_PREFIX + mail.messageId`. Retryable failures
 * (S3, DynamoDB, SQS) throw, so Lambda retries the event; accepting is idempotent,
 * so a retry never duplicates. A mail that can never be accepted (spam, virus,
 * auto-reply, unparseable, object gone) is logged and dropped instead.
 */
export const handler = async (event: SESEvent): Promise<void> => {
  for (const record of event.Records ?? []) {
    if (!record?.ses?.mail?.messageId || !record.ses.receipt) {
      logger.error('Record dropped: not an SES receipt', { eventSource: record?.eventSource });
      continue;
    }
    await processRecord(record);
  }
};
