import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { deliverReply } from '../../shared/outbound/deliver';
import { readConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { emailSender, outboxStore, smsSender } from '../lib/services';
import { parseRecord } from '../lib/sqs';

const optional = z.string().min(1).optional();
const config = readConfig({
  EMAIL_FROM: z.email().optional(),
  EMAIL_CONFIGURATION_SET: optional,
  SMS_ORIGINATION_IDENTITY: optional,
});
const deps = {
  store: outboxStore(),
  email: await emailSender(config.EMAIL_CONFIGURATION_SET ? { configurationSetName: config.EMAIL_CONFIGURATION_SET } : {}),
  sms: await smsSender(),
  defaults: {
    ...(config.EMAIL_FROM ? { emailFrom: config.EMAIL_FROM } : {}),
    ...(config.SMS_ORIGINATION_IDENTITY ? { smsFrom: config.SMS_ORIGINATION_IDENTITY } : {}),
  },
};
const processor = new BatchProcessor(EventType.SQS);
const requestSchema = z.object({ messageId: z.string().regex(/^msg_[a-f0-9]{32}$/) });

const deliverRecord = async (record: SQSRecord): Promise<void> => {
  const request = parseRecord(record, requestSchema);
  const result = await deliverReply(deps, request, new Date());
  if (result.outcome === 'failed') logger.warn('reply refused by the provider', { messageId: request.messageId, error: result.error });
  else logger.debug('delivered', { messageId: request.messageId, ...result });
};

/** Delivers each queued reply; transient provider failures are reported per record and retried by SQS. */
export const handler = async (event: SQSEvent, context: Context) =>
  processPartialResponse(event, deliverRecord, processor, { context });
