import { readFileSync } from 'node:fs';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handlerEnv } from '../fixtures/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);
type Handler = (e: unknown) => Promise<void>;
let email: Handler;
let sms: Handler;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  email = ((await import('../../functions/channels/email')) as { handler: Handler }).handler;
  sms = ((await import('../../functions/channels/sms')) as { handler: Handler }).handler;
});
beforeEach(() => {
  ddb.reset();
  sqs.reset();
  s3.reset();
});

const sesEvent = (spam = 'PASS') => ({
  Records: [
    {
      eventSource: 'aws:ses',
      eventVersion: '1.0',
      ses: {
        mail: { messageId: 'o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1', timestamp: '2026-11-22T09:15:05.000Z', source: 'ana.silva@example.com', destination: ['support@shop.example'] },
        receipt: { spamVerdict: { status: spam }, virusVerdict: { status: 'PASS' }, recipients: ['support@shop.example'] },
      },
    },
  ],
});
// The part of the SDK's stream body the adapter uses.
const body = (file: string) => ({ transformToByteArray: async () => new Uint8Array(readFileSync(file)) });

describe('email handler', () => {
  it('reads the raw MIME the S3 action stored, then stores the message (and sends nothing)', async () => {
    s3.on(GetObjectCommand).callsFake(() => ({ Body: body('test/fixtures/email/reply-multipart.eml') }));
    ddb.on(PutCommand).resolves({});
    await email(sesEvent());
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({
      Bucket: handlerEnv.RAW_MAIL_BUCKET,
      Key: 'inbound/o3vrnil0e2ic28trm7dfhrc2v0clambda4nbp0g1',
    });
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ channel: 'email', from: 'ana.silva@example.com', threadKey: '<CAF=root-0@shop.example>' });
    expect(sqs.calls()).toHaveLength(0);
  });

  it('drops spam without reading it', async () => {
    await email(sesEvent('FAIL'));
    expect(s3.calls()).toHaveLength(0);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('drops a mail whose object is gone, but throws on a retryable failure so Lambda retries', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));
    await expect(email(sesEvent())).resolves.toBeUndefined();
    s3.on(GetObjectCommand).callsFake(() => ({ Body: body('test/fixtures/email/html-only.eml') }));
    ddb.on(PutCommand).rejects(new Error('throttled'));
    await expect(email(sesEvent())).rejects.toThrow(/DynamoDB/);
  });
});

describe('sms handler', () => {
  const snsEvent = (message: string) => ({
    Records: [{ EventSource: 'aws:sns', Sns: { MessageId: 'sns-1', Message: message, Timestamp: '2026-11-22T10:00:00.000Z' } }],
  });

  it('stores a valid inbound SMS (and sends nothing)', async () => {
    ddb.on(PutCommand).resolves({});
    await sms(snsEvent(readFileSync('test/fixtures/sms/inbound.json', 'utf8')));
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ channel: 'sms', from: '+14255550182' });
    expect(sqs.calls()).toHaveLength(0);
  });

  it('drops malformed payloads without writing', async () => {
    await sms(snsEvent('not json'));
    await sms(snsEvent('{"hello":1}'));
    expect(ddb.calls()).toHaveLength(0);
  });
});
