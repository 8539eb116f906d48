import { readFileSync } from 'node:fs';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DependencyError } from '../../shared/domain/errors';
import { handlerEnv } from '../fixtures/api-event';

// The document client sends through its own stack, so it is the one to mock.
const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: (event: SNSEvent) => Promise<void>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/channels/sms')) as { handler: typeof handler });
});
beforeEach(() => {
  ddb.reset();
  sqs.reset();
});

const fixture = (name: string) => readFileSync(`test/fixtures/sms/${name}`, 'utf8');

/** What SNS delivers to a subscribed function: End User Messaging's JSON in `Sns.Message`. */
const snsEvent = (message: string): SNSEvent => ({
  Records: [
    {
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:inbound-sms:0b7e9c0e-1f7d-4c55-9a57-3f1d2c3b4a59',
      Sns: {
        Type: 'Notification',
        MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:inbound-sms',
        Subject: '',
        Message: message,
        Timestamp: '2026-11-22T10:00:00.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-example.pem',
        UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    },
  ],
});

describe('sms handler', () => {
  it('stores a valid inbound SMS once, threaded by the sender, and sends nothing (the crm stream takes it on)', async () => {
    ddb.on(PutCommand).resolves({});
    await handler(snsEvent(fixture('inbound.json')));
    const put = ddb.commandCalls(PutCommand)[0]!.args[0].input;
    expect(put).toMatchObject({ TableName: 'crm-test', ConditionExpression: 'attribute_not_exists(pk)' });
    // Threaded by the sender: the thread key is the number (left out of the item, as it equals `from`).
    expect(put.Item).toMatchObject({ from: '+14255550182', gsi2pk: expect.stringMatching(/^RECV#/) });
    expect(put.Item!.threadKey).toBeUndefined();
    expect(put.Item).toMatchObject({
      direction: 'inbound',
      status: 'received',
      channel: 'sms',
      providerMessageId: 'cae173d2-66b9-564c-8309-21f858e9fb84',
      from: '+14255550182',
      to: '+12125550199',
      text: 'Hi, is my order #1042 on its way?',
      receivedAt: '2026-11-22T10:00:00.000Z',
    });
    expect(sqs.calls()).toHaveLength(0);
  });

  it('accepts an international SMS', async () => {
    ddb.on(PutCommand).resolves({});
    await handler(snsEvent(fixture('inbound-uk.json')));
    expect(ddb.commandCalls(PutCommand)[0]!.args[0].input.Item).toMatchObject({ from: '+447911123456' });
  });

  it('leaves a redelivered SMS that was already routed as it is', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: { messageId: 'x', channel: 'sms', text: 'Hi, is my order #1042 on its way?', status: 'routed' } });
    await expect(handler(snsEvent(fixture('inbound.json')))).resolves.toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it.each([
    ['not JSON', 'not json'],
    ['another payload', '{"hello":1}'],
    ['an invalid sender number', fixture('invalid-number.json')],
  ])('drops %s without writing or throwing', async (_name, message) => {
    await expect(handler(snsEvent(message))).resolves.toBeUndefined();
    expect(ddb.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
  });

  it('drops a redelivery with different content (permanent) without throwing', async () => {
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: { messageId: 'x', channel: 'sms', text: 'other', status: 'received' } });
    await expect(handler(snsEvent(fixture('inbound.json')))).resolves.toBeUndefined();
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it('throws when DynamoDB fails (the store, or touching a redelivery), so the invocation is retried', async () => {
    ddb.on(PutCommand).rejects(new Error('throttled'));
    await expect(handler(snsEvent(fixture('inbound.json')))).rejects.toBeInstanceOf(DependencyError);
    ddb.on(PutCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    ddb.on(GetCommand).resolves({ Item: { messageId: 'x', channel: 'sms', text: 'Hi, is my order #1042 on its way?', status: 'received' } });
    ddb.on(UpdateCommand).rejects(new Error('socket hang up'));
    await expect(handler(snsEvent(fixture('inbound.json')))).rejects.toBeInstanceOf(DependencyError);
  });
});
