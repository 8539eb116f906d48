import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifiedMessageSchema, type InboundMessage } from '../../shared/domain/message';
import { handlerEnv } from '../fixtures/api-event';
import { streamEvent } from '../fixtures/stream-event';
import { inboundMessage } from '../fixtures/inbound-message';

const sqs = mockClient(SQSClient);
let handler: (e: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv, { SENTIMENT_ENGINE: 'builtin' });
  ({ handler } = (await import('../../functions/pipeline/classify')) as never);
});
beforeEach(() => sqs.reset());

const inbound = (id: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage =>
  inboundMessage({ thread: 'session_0123456789abcdef', text, at: '2026-11-22T10:00:00.000Z' }, { messageId: id, providerMessageId: `s:${id}`, ...extra });
const forwarded = () => sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => classifiedMessageSchema.parse(JSON.parse(e.MessageBody!))));

describe('classify handler (crm stream)', () => {
  it('classifies the stored messages of a batch and forwards them to routing in one batch call', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const a = inbound('a', 'Thanks, all good!');
    const b = inbound('b', 'URGENT: my card was stolen, block it now!', { fromName: 'Ana', alsoKnownAs: [{ channel: 'email', address: 'ana@example.com' }], threadKey: 'other-thread' });
    const res = await handler(streamEvent([a, b]));
    expect(res.batchItemFailures).toEqual([]);
    const calls = sqs.commandCalls(SendMessageBatchCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input.QueueUrl).toBe(handlerEnv.ROUTING_QUEUE_URL);
    const bodies = forwarded();
    // The message as intake took it, read back from the item's image (id from the key, thread key, lists).
    expect(bodies.map((x) => x.message)).toEqual([a, b]);
    expect(bodies[1]!.classification.urgency.score).toBeGreaterThan(bodies[0]!.classification.urgency.score);
  });

  it('also takes a MODIFY (a sweep, a client retry, routing taking it back) and leaves out what the sweeper wrote', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const m = inbound('a', 'hello again');
    const { inboundMessageItem } = await import('../../shared/adapters/crm-items');
    await handler(streamEvent([{ ...inboundMessageItem(m), sweepCount: 2, retriedAt: '2026-11-22T10:06:00.000Z' }], 'MODIFY'));
    expect(forwarded().map((x) => x.message)).toEqual([m]);
  });

  it('reports the records routing refused by sequence number, and skips an unreadable one without blocking the shard', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }] });
    const { logger } = await import('../../functions/lib/logger');
    const error = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    // Record 101 holds no message (no text, a bad channel): logged, not reported; 102 is refused by SQS.
    const res = await handler(streamEvent([inbound('a', 'hello'), { pk: 'MSG#x', sk: 'MSG', direction: 'inbound', status: 'received', channel: 'fax' }, inbound('c', 'hi there')]));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: '102' }]);
    expect(forwarded().map((x) => x.message.messageId)).toEqual(['a', 'c']);
    expect(error).toHaveBeenCalledWith('unreadable stream record skipped', expect.objectContaining({ sequenceNumber: '101' }));
    error.mockRestore();
  });

  it('reports every record when routing cannot be reached at all (Lambda retries from the first)', async () => {
    sqs.on(SendMessageBatchCommand).rejects(new Error('socket hang up'));
    const res = await handler(streamEvent([inbound('a', 'hello'), inbound('b', 'hi')]));
    expect(res.batchItemFailures).toEqual([{ itemIdentifier: '100' }, { itemIdentifier: '101' }]);
  });
});
