import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ClassifiedMessage } from '../../shared/domain/message';
import { handlerEnv, lambdaContext } from '../fixtures/api-event';
import { sqsEvent } from '../fixtures/sqs-event';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (e: unknown, c: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/pipeline/route')) as never);
});
beforeEach(() => ddb.reset());

const classified = (id: string): ClassifiedMessage => ({
  message: {
    messageId: id,
    channel: 'chat',
    providerMessageId: `s:${id}`,
    from: 'session_0123456789abcdef',
    alsoKnownAs: [],
    text: 'hello',
    attachments: [],
    threadKey: 'session_0123456789abcdef',
    receivedAt: '2026-11-22T10:00:00.000Z',
  },
  classification: {
    language: { code: 'en', confidence: 1 },
    sentiment: { score: 0, comparative: 0, label: 'neutral' },
    urgency: { score: 10, reasons: [] },
  },
});

describe('route handler', () => {
  it('reports only the malformed record as failed and writes nothing for a routed one', async () => {
    ddb.on(GetCommand).resolves({ Item: { messageId: 'm1', status: 'routed' } });
    const res = await handler(sqsEvent([classified('m1'), '{"nope":1}']), lambdaContext('route'));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'rec-1' }]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('fails the batch when every message is missing from the store, so SQS retries them all', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(handler(sqsEvent([classified('m2'), classified('m3')]), lambdaContext('route'))).rejects.toThrow(
      /All records failed/,
    );
  });
});
