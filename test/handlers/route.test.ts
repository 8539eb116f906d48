import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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
  it('reports only the malformed record as failed and changes nothing for a routed one', async () => {
    // m1 was routed into tkt_1, which lists it: its write is refused, and nothing else is left behind.
    // (Routed seconds after it arrived: not a late message, so no counter transaction.)
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-22T10:00:05.000Z'));
    ddb.on(GetCommand).callsFake((input: { Key: { pk: string } }) => {
      if (input.Key.pk === 'MSG#m1') return { Item: { pk: 'MSG#m1', sk: 'MSG', channel: 'chat', status: 'routed', ticketId: 'tkt_1', customerId: 'cus_1' } };
      if (input.Key.pk === 'TICKET#tkt_1') return { Item: { pk: 'TICKET#tkt_1', sk: 'TICKET', status: 'closed', priority: { score: 10, reasons: [] }, messages: ['m1'] } };
      return {};
    });
    ddb.on(BatchGetCommand).resolves({ Responses: { 'crm-test': [{ channel: 'chat', address: 'session_0123456789abcdef', customerId: 'cus_1' }] } });
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(PutCommand).resolves({});
    // The message's routing write is refused (routed already); the thread's updates pass.
    ddb.on(UpdateCommand).callsFake((input: { Key: { pk: string } }) => {
      if (input.Key.pk.startsWith('MSG#')) throw new ConditionalCheckFailedException({ message: 'routed', $metadata: {} });
      return {};
    });
    const res = await handler(sqsEvent([classified('m1'), '{"nope":1}']), lambdaContext('route'));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: 'rec-1' }]);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    const puts = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item as Record<string, unknown>);
    expect(puts.filter((i) => i.type === 'ticket')).toEqual([]);
    // The thread it found free (its ticket is closed) was claimed for a new ticket, then given back.
    const threadUpdates = ddb.commandCalls(UpdateCommand).map((c) => c.args[0].input).filter((u) => String(u.Key?.pk).startsWith('THREAD#'));
    expect(threadUpdates.map((u) => u.UpdateExpression)).toEqual(['SET #type = :type, ticketId = :id, openedBy = :by', 'REMOVE ticketId, openedBy']);
    expect(threadUpdates[1]!.ExpressionAttributeValues?.[':id']).toBe(threadUpdates[0]!.ExpressionAttributeValues?.[':id']);
    vi.useRealTimers();
  });

  it('fails the batch when every message is missing from the store, so SQS retries them all', async () => {
    ddb.on(GetCommand).resolves({});
    await expect(handler(sqsEvent([classified('m2'), classified('m3')]), lambdaContext('route'))).rejects.toThrow(
      /All records failed/,
    );
  });
});
