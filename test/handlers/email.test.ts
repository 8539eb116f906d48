import { readFileSync } from 'node:fs';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SESEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../shared/domain/errors';
import { handlerEnv } from '../fixtures/api-event';

// The document client sends through its own stack, so it is the one to mock.
const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);
let handler: (event: SESEvent) => Promise<void>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/channels/email')) as { handler: typeof handler });
});
beforeEach(() => {
  ddb.reset();
  sqs.reset();
  s3.reset();
});

const SES_ID = 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1';
const pass = { status: 'PASS' } as const;

/** The event the receipt rule's Lambda action delivers: headers and verdicts, never the body. */
function sesEvent(verdicts: Partial<SESEvent['Records'][number]['ses']['receipt']> = {}): SESEvent {
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: '2026-11-22T09:15:05.000Z',
            source: 'ana.silva@example.com',
            messageId: SES_ID,
            destination: ['support@shop.example'],
            headersTruncated: false,
            headers: [{ name: 'From', value: 'Ana Silva <Ana.Silva@Example.com>' }],
            commonHeaders: { returnPath: 'ana.silva@example.com', from: ['Ana Silva <Ana.Silva@Example.com>'], date: 'Sun, 22 Nov 2026 09:15:02 +0000', messageId: '<CAF=reply-2@mail.example.com>' },
          },
          receipt: {
            timestamp: '2026-11-22T09:15:05.000Z',
            processingTimeMillis: 412,
            recipients: ['support@shop.example'],
            spamVerdict: pass,
            virusVerdict: pass,
            spfVerdict: pass,
            dkimVerdict: pass,
            dmarcVerdict: pass,
            action: { type: 'Lambda', functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:email', invocationType: 'Event' },
            ...verdicts,
          },
        },
      },
    ],
  };
}

/** The part of the SDK's streaming body the adapter uses. */
const objectOf = (fixture: string) => ({
  Body: { transformToByteArray: async () => new Uint8Array(readFileSync(`test/fixtures/email/${fixture}`)) },
});
const storedItem = (over: Record<string, unknown> = {}) => ({
  Item: { pk: 'MSG#x', sk: 'MSG', messageId: 'x', channel: 'email', text: 'The parcel still has not arrived and the tracking page says "delivered".\nCan you check with the courier?', status: 'routed', ...over },
});

describe('email handler', () => {
  it('reads the raw MIME the S3 action stored and stores the message once (the crm stream takes it on)', async () => {
    s3.on(GetObjectCommand).resolves(objectOf('reply-multipart.eml') as never);
    ddb.on(PutCommand).resolves({});
    await handler(sesEvent());
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'raw-mail-test', Key: `inbound/${SES_ID}` });
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ TableName: 'crm-test', ConditionExpression: 'attribute_not_exists(pk)' });
    expect(put.Item).toMatchObject({ channel: 'email', providerMessageId: '<CAF=reply-2@mail.example.com>', threadKey: '<CAF=root-0@shop.example>', gsi2pk: expect.stringMatching(/^RECV#/) });
    expect(put.Item).toMatchObject({
      direction: 'inbound',
      status: 'received',
      from: 'ana.silva@example.com',
      to: 'support@shop.example',
      receivedAt: '2026-11-22T09:15:05.000Z',
      attachments: [{ filename: 'tracking.png', contentType: 'image/png', size: 70 }],
    });
    expect(put.Item).not.toHaveProperty('html');
    expect(sqs.calls()).toHaveLength(0);
  });

  it('leaves a redelivered mail that was already routed as it is', async () => {
    s3.on(GetObjectCommand).resolves(objectOf('reply-multipart.eml') as never);
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves(storedItem());
    await expect(handler(sesEvent())).resolves.toBeUndefined();
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('touches a redelivered mail while it is not routed, so the stream hands it on again (the first run may be what failed)', async () => {
    s3.on(GetObjectCommand).resolves(objectOf('reply-multipart.eml') as never);
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves(storedItem({ status: 'received' }));
    ddb.on(UpdateCommand).resolves({});
    await handler(sesEvent());
    expect(ddb.commandCalls(UpdateCommand)[0]!.args[0].input).toMatchObject({ UpdateExpression: 'SET retriedAt = :at', ConditionExpression: '#st = :received' });
  });

  it.each([
    ['spam', { spamVerdict: { status: 'FAIL' } }],
    ['a virus', { virusVerdict: { status: 'FAIL' } }],
    ['a spoofed sender (DMARC fail, policy reject)', { dmarcVerdict: { status: 'FAIL' }, dmarcPolicy: 'reject' }],
  ] as const)('drops %s without reading it', async (_name, verdicts) => {
    await expect(handler(sesEvent(verdicts))).resolves.toBeUndefined();
    expect(s3.calls()).toHaveLength(0);
    expect(ddb.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('skips an auto-reply after reading it, writing nothing', async () => {
    s3.on(GetObjectCommand).resolves(objectOf('auto-reply.eml') as never);
    await expect(handler(sesEvent())).resolves.toBeUndefined();
    expect(ddb.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it.each([
    ['the raw mail is gone', () => s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }))],
    [
      'the same Message-ID came with different content',
      () => {
        s3.on(GetObjectCommand).resolves(objectOf('reply-multipart.eml') as never);
        ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
        ddb.on(GetCommand).resolves(storedItem({ text: 'something else' }));
      },
    ],
  ])('drops a permanently bad mail without throwing: %s', async (_name, arrange) => {
    arrange();
    await expect(handler(sesEvent())).resolves.toBeUndefined();
    expect(sqs.calls()).toHaveLength(0);
  });

  it.each([
    [
      'S3 fails',
      () => s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'InternalError', $fault: 'server', $metadata: { httpStatusCode: 500 } })),
      /S3/,
    ],
    [
      'DynamoDB throttles',
      () => {
        s3.on(GetObjectCommand).resolves(objectOf('plain.eml') as never);
        ddb.on(PutCommand).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
      },
      /DynamoDB/,
    ],
    [
      'DynamoDB fails to touch a redelivered mail',
      () => {
        s3.on(GetObjectCommand).resolves(objectOf('reply-multipart.eml') as never);
        ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
        ddb.on(GetCommand).resolves(storedItem({ status: 'received' }));
        ddb.on(UpdateCommand).rejects(new Error('socket hang up'));
      },
      /DynamoDB failed to retry the message/,
    ],
  ])('throws when %s, so Lambda retries the event', async (_name, arrange, message) => {
    arrange();
    const err = await handler(sesEvent()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DependencyError);
    expect((err as Error).message).toMatch(message);
  });

  it('skips a record that is not an SES receipt', async () => {
    await expect(handler({ Records: [{ eventSource: 'aws:sns' }] } as unknown as SESEvent)).resolves.toBeUndefined();
    expect(s3.calls()).toHaveLength(0);
  });
});
