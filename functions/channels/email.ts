import type { SESEvent } from 'aws-lambda';
import { S3RawMail } from '../../shared/adapters/s3-raw-mail';
import { acceptInboundMessage } from '../../shared/channels/accept';
import { parseEmail } from '../../shared/channels/email';
import { NotFoundError } from '../../shared/domain/errors';
import { envVar, RAW_MAIL_PREFIX } from '../../infra/topology';
import { readConfig, required } from '../lib/config';
import { logger } from '../lib/logger';
import { crmStore, queue } from '../lib/services';

const store = crmStore();
const inbound = queue('inbound');
const rawMail = new S3RawMail({ bucket: readConfig({ [envVar.bucket('rawMail')]: required })[envVar.bucket('rawMail')] as string });

/**
 * SES receipt rule action (asynchronous): the S3 action stored the raw MIME first.
 * Retryable failures throw so Lambda retries the event; a message that can never
 * be accepted (spam, virus, a loop, a lost object) is logged and dropped.
 */
export const handler = async (event: SESEvent): Promise<void> => {
  for (const record of event.Records) {
    const { mail, receipt } = record.ses;
    const log = { sesMessageId: mail.messageId };
    if (receipt.spamVerdict.status === 'FAIL' || receipt.virusVerdict.status === 'FAIL') {
      logger.warn('dropped: spam or virus', { ...log, spam: receipt.spamVerdict.status, virus: receipt.virusVerdict.status });
      continue;
    }
    let raw: Uint8Array;
    try {
      raw = await rawMail.read(RAW_MAIL_PREFIX + mail.messageId);
    } catch (err) {
      if (err instanceof NotFoundError) {
        logger.error('dropped: raw mail missing', { ...log, error: err.message });
        continue;
      }
      throw err;
    }
    const parsed = await parseEmail(raw, { fallbackId: mail.messageId, receivedAt: new Date(mail.timestamp) });
    if (parsed.kind === 'skip') {
      logger.info('skipped', { ...log, reason: parsed.reason });
      continue;
    }
    const result = await acceptInboundMessage({ store, inbound }, parsed.message);
    logger.info('accepted', { ...log, ...result });
  }
};
