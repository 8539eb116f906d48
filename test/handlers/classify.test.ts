import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifiedMessageSchema, type InboundMessage } from '../../shared/domain/message';
import { handlerEnv } from '../fixtures/api-event';
import { sqsEvent } from '../fixtures/sqs-event';
import { inboundMessage } from '../fixtures/inbound-message';

const sqs = mockClient(SQSClient);
let handler: (e: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv, { SENTIMENT_ENGINE: 'builtin' });
  ({ handler } = (await import('../../functions/pipeline/classify')) as never);
});
beforeEach(() => sqs.reset());

const inbound = (id: string, text: string): InboundMessage =>
  inboundMessage({ thread: 'session_0123456789abcdef', text, at: '2026-11-22T10:00:00.000Z' }, { messageId: id, providerMessageId: `s:${id}` });

describe('classify handler', () => {
  it('classifies a batch and forwards it to routing in one batch call', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const res = await handler(sqsEvent([inbound('a', 'Thanks, all good!'), inbound('b', 'URGENT: my card was stolen, block it now!')], 'inbound'));
    expect(res.batchItemFailures).toEqual([]);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.QueueUrl).toBe(handlerEnv.ROUTING_QUEUE_URL);
    const bodies = calls[0]!.args[0].input.Entries!.map((e) => classifiedMessageSchema.parse(JSON.parse(e.MessageBody!)));
    expect(bodies.map((b) => b.message.messageId)).toEqual(['a', 'b']);
    expect(bodies[1]!.classification.urgency.score).toBeGreaterThan(bodies[0]!.classification.urgency.score);
  });

  it('fails only the malformed record and the ones routing refused', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] });
    const res = await handler(sqsEvent([inbound('a', 'hello'), '{"text": 1}', inbound('c', 'hi there')], 'inbound'));
    // Record 1 is malformed; of the two sent, entry index 1 (record 2) was refused.
    expect(res.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['rec-1', 'rec-2']);
  });
});
