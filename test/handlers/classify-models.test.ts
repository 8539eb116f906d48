import { GetObjectCommand, NoSuchKey, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { trainModel } from '../../shared/classify/text-model';
import { classifiedMessageSchema, type InboundMessage } from '../../shared/domain/message';
import { handlerEnv } from '../fixtures/api-event';
import { streamEvent } from '../fixtures/stream-event';

const sqs = mockClient(SQSClient);
const s3 = mockClient(S3Client);

// A tiny promoted pair that calls every voucher message PAYMENT / payment_issue.
const data = [
  ...['voucher problem again', 'my voucher is rejected', 'the voucher code fails', 'voucher not accepted'].map((text) => ({ text, category: 'PAYMENT', intent: 'payment_issue' })),
  ...['where is my order', 'track my order', 'order status please', 'has my order shipped'].map((text) => ({ text, category: 'ORDER', intent: 'track_order' })),
];
const at = new Date('2026-12-01T00:00:00Z');
const artifacts = {
  'support-category': trainModel(data.map((d) => ({ text: d.text, label: d.category })), { trainedAt: at }),
  'support-intent': trainModel(data.map((d) => ({ text: d.text, label: d.intent })), { trainedAt: at }),
};
const body = (value: unknown) => ({ Body: { transformToString: async () => JSON.stringify(value) } as never });

function promoteInS3(version: { category: string; intent: string }) {
  for (const [name, v] of [['support-category', version.category], ['support-intent', version.intent]] as const) {
    s3.on(GetObjectCommand, { Key: `models/${name}/current.json` }).resolves(body({ name, version: v, key: `models/${name}/${v}.json` }));
    s3.on(GetObjectCommand, { Key: `models/${name}/${v}.json` }).resolves(body(artifacts[name]));
  }
}

/** A fresh cold start of the classify function, then one message through it. */
async function classifyOnColdStart(text: string) {
  vi.resetModules();
  Object.assign(process.env, handlerEnv, { SENTIMENT_ENGINE: 'builtin', MODELS_BUCKET: 'models-test' });
  const { handler } = (await import('../../functions/pipeline/classify')) as unknown as { handler: (e: unknown) => Promise<unknown> };
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
  const message: InboundMessage = {
    messageId: 'm1', channel: 'chat', providerMessageId: 's:m1', from: 'session_0123456789abcdef', alsoKnownAs: [],
    text, attachments: [], threadKey: 'session_0123456789abcdef', receivedAt: '2026-12-01T10:00:00.000Z',
  };
  await handler(streamEvent([message]));
  const entry = sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries![0]!;
  return classifiedMessageSchema.parse(JSON.parse(entry.MessageBody!)).classification.topic!;
}

beforeEach(() => {
  sqs.reset();
  s3.reset();
});

describe('classify handler: promoted support models', () => {
  it('uses the promoted pair read from the models bucket at cold start', async () => {
    promoteInS3({ category: 'v2', intent: 'v2' });
    expect(await classifyOnColdStart('voucher problem again')).toMatchObject({ category: 'PAYMENT', intent: 'payment_issue' });
    expect(s3.commandCalls(GetObjectCommand).every((c) => c.args[0].input.Bucket === 'models-test')).toBe(true);
  });

  it('uses the shipped pair when nothing is promoted, the pointers disagree, or the bucket cannot be read', async () => {
    // The shipped models put this message under ACCOUNT.
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'none', $metadata: {} }));
    expect((await classifyOnColdStart('voucher problem again')).category).toBe('ACCOUNT');

    s3.reset();
    promoteInS3({ category: 'v3', intent: 'v2' });
    expect((await classifyOnColdStart('voucher problem again')).category).toBe('ACCOUNT');

    s3.reset();
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', message: 'no', $metadata: { httpStatusCode: 403 } }));
    expect((await classifyOnColdStart('voucher problem again')).category).toBe('ACCOUNT');
  });
});
