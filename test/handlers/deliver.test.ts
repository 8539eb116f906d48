import { PinpointSMSVoiceV2Client, SendTextMessageCommand, ConflictException, ThrottlingException } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { MessageRejected, SendEmailCommand, SESv2Client, TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../shared/domain/errors';
import { SesEmailSender } from '../../shared/adapters/ses-email-sender';
import { EndUserMessagingSmsSender } from '../../shared/adapters/sms-sender';
import { DeliveryRejectedError } from '../../shared/outbound/senders';
import { handlerEnv, lambdaContext } from '../fixtures/api-event';
import { sqsEvent } from '../fixtures/sqs-event';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESv2Client);
const sms = mockClient(PinpointSMSVoiceV2Client);
let handler: (e: unknown, c: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv, { EMAIL_FROM: 'help@acme.test' });
  ({ handler } = (await import('../../functions/pipeline/deliver')) as never);
});
beforeEach(() => {
  ddb.reset();
  ses.reset();
  sms.reset();
});

const id = (n: number) => `msg_${String(n).padStart(32, '0')}`;
const outboundItem = (messageId: string, delivery: object) => ({ messageId, direction: 'outbound', ticketId: 'tkt_1', text: 'Shipped today.', delivery });

describe('deliver handler', () => {
  it('sends an email reply through SES v2 with its threading headers and records it sent', async () => {
    ddb.on(GetCommand).resolves({
      Item: outboundItem(id(1), { status: 'queued', channel: 'email', to: 'ana@example.com', subject: 'Re: Order', inReplyTo: '<m2@x>', references: ['<m1@x>', '<m2@x>'] }),
    });
    ddb.on(UpdateCommand).resolves({});
    ses.on(SendEmailCommand).resolves({ MessageId: 'ses-0001' });
    const res = await handler(sqsEvent([{ messageId: id(1) }], 'outbound'), lambdaContext('deliver'));
    expect(res.batchItemFailures).toEqual([]);
    const sent = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    // No `from` on the delivery: the configured EMAIL_FROM.
    expect(sent).toMatchObject({ FromEmailAddress: 'help@acme.test', Destination: { ToAddresses: ['ana@example.com'] } });
    expect(sent.Content?.Simple?.Headers).toEqual([
      { Name: 'In-Reply-To', Value: '<m2@x>' },
      { Name: 'References', Value: '<m1@x> <m2@x>' },
    ]);
    // Claimed, then recorded under the same claim.
    const [claim, record] = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input);
    expect(claim!.ConditionExpression).toBe('delivery.#s = :queued OR (delivery.#s = :sending AND delivery.claimedAt < :stale)');
    expect(record!.ConditionExpression).toBe('delivery.#s = :sending AND delivery.claimId = :claim');
    expect(record!.ExpressionAttributeValues![':claim']).toBe(claim!.ExpressionAttributeValues![':claim']);
    expect(record!.ExpressionAttributeValues![':d']).toMatchObject({ status: 'sent', providerMessageId: 'ses-0001' });
  });

  it('retries a throttled SMS (the record fails) and reports a malformed record, sending nothing for it', async () => {
    ddb.on(GetCommand).resolves({ Item: outboundItem(id(2), { status: 'queued', channel: 'sms', to: '+14155550100', from: '+14155550199' }) });
    sms.on(SendTextMessageCommand).rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: {} }));
    // Both records fail, so Powertools fails the whole batch (SQS retries it).
    await expect(handler(sqsEvent([{ messageId: id(2) }, { messageId: 'nope' }], 'outbound'), lambdaContext('deliver'))).rejects.toThrow(/All records failed/);
    expect(sms.commandCalls(SendTextMessageCommand)).toHaveLength(1);
    expect(sms.commandCalls(SendTextMessageCommand)[0]!.args[0].input).toMatchObject({ DestinationPhoneNumber: '+14155550100', OriginationIdentity: '+14155550199', MessageType: 'TRANSACTIONAL' });
    // Only the claim was written: nothing recorded, so the retry sends it.
    expect(ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input.UpdateExpression)).toEqual([expect.stringMatching(/^SET delivery\.#s = :sending/)]);
  });

  it('skips a reply already sent (a redelivered request)', async () => {
    ddb.on(GetCommand).resolves({ Item: outboundItem(id(3), { status: 'sent', channel: 'sms', to: '+14155550100' }) });
    const res = await handler(sqsEvent([{ messageId: id(3) }], 'outbound'), lambdaContext('deliver'));
    expect(res.batchItemFailures).toEqual([]);
    expect(sms.commandCalls(SendTextMessageCommand)).toHaveLength(0);
  });
});

describe('provider adapters', () => {
  it('SES: a rejection is permanent, throttling is retryable', async () => {
    const sender = new SesEmailSender({ client: new SESv2Client({ region: 'us-east-1' }) });
    const mail = { from: 'a@acme.test', to: 'b@example.com', subject: 's', text: 't', headers: [] };
    ses
      .on(SendEmailCommand)
      .rejectsOnce(new MessageRejected({ message: 'Email address is not verified.', $metadata: {} }))
      .rejectsOnce(new TooManyRequestsException({ message: 'slow down', $metadata: {} }))
      .resolves({ MessageId: 'ses-9' });
    await expect(sender.sendEmail(mail)).rejects.toThrow(/SES refused the mail: Email address is not verified/);
    const throttled = await sender.sendEmail(mail).catch((e: unknown) => e);
    expect(throttled).toBeInstanceOf(DependencyError);
    expect(throttled).not.toBeInstanceOf(DeliveryRejectedError);
    expect((throttled as Error).cause).toBeInstanceOf(TooManyRequestsException);
    expect(await sender.sendEmail(mail)).toEqual({ providerMessageId: 'ses-9' });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input.Content?.Simple).not.toHaveProperty('Headers');
  });

  it('SMS: an opted-out destination is permanent', async () => {
    const sender = new EndUserMessagingSmsSender({ client: new PinpointSMSVoiceV2Client({ region: 'us-east-1' }) });
    sms
      .on(SendTextMessageCommand)
      .rejectsOnce(new ConflictException({ message: 'DESTINATION_PHONE_NUMBER_OPTED_OUT', $metadata: {} } as never))
      .resolves({ MessageId: 'sms-1' });
    await expect(sender.sendSms({ to: '+14155550100', text: 'x' })).rejects.toThrow(DeliveryRejectedError);
    expect(await sender.sendSms({ to: '+14155550100', text: 'x' })).toEqual({ providerMessageId: 'sms-1' });
    expect(sms.commandCalls(SendTextMessageCommand)[1]!.args[0].input).not.toHaveProperty('OriginationIdentity');
  });
});
