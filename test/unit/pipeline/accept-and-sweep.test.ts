import { describe, expect, it, vi } from 'vitest';
import { acceptInboundMessage } from '../../../shared/channels/accept';
import { ConflictError, DependencyError } from '../../../shared/domain/errors';
import type { InboundMessage } from '../../../shared/domain/message';
import { MAX_SWEEPS, SWEEP_GRACE_MS, sweepPendingMessages } from '../../../shared/pipeline/sweep';
import type { MessageStore } from '../../../shared/channels/message-store';
import type { PendingStore } from '../../../shared/pipeline/pending-store';
import type { MessageQueue } from '../../../shared/domain/queue';

const message = (id: string, text = 'hello'): InboundMessage => ({
  messageId: id,
  channel: 'chat',
  providerMessageId: `s:${id}`,
  from: 'session_0123456789ab',
  alsoKnownAs: [],
  text,
  attachments: [],
  threadKey: 'session_0123456789ab',
  receivedAt: '2026-11-22T10:00:00.000Z',
});

const queue = (failing: number[] = []): MessageQueue & { sent: unknown[] } => {
  const sent: unknown[] = [];
  return {
    sent,
    send: vi.fn(async (b: unknown) => void sent.push(b)),
    sendBatch: vi.fn(async (bodies: unknown[]) => {
      bodies.forEach((b, i) => !failing.includes(i) && sent.push(b));
      return failing;
    }),
  };
};

type Store = MessageStore & PendingStore;
const storeWith = (over: Partial<Store>): Store => over as Store;

describe('acceptInboundMessage', () => {
  it('stores then enqueues a new message', async () => {
    const inbound = queue();
    const store = storeWith({ putInboundMessage: vi.fn(async () => ({ created: true as const })) });
    await expect(acceptInboundMessage({ store, inbound }, message('m1'))).resolves.toEqual({ messageId: 'm1', duplicate: false });
    expect(inbound.sent).toEqual([message('m1')]);
  });

  it('enqueues a duplicate again while it is not routed, but not after', async () => {
    for (const [status, sends] of [['received', 1], ['routed', 0]] as const) {
      const inbound = queue();
      const store = storeWith({
        putInboundMessage: vi.fn(async () => ({ created: false as const, existing: { ...message('m1'), direction: 'inbound' as const, status } })),
      });
      await expect(acceptInboundMessage({ store, inbound }, message('m1'))).resolves.toEqual({ messageId: 'm1', duplicate: true });
      expect(inbound.sent).toHaveLength(sends);
    }
  });

  it('refuses a reused id with different content', async () => {
    const store = storeWith({
      putInboundMessage: vi.fn(async () => ({
        created: false as const,
        existing: { ...message('m1', 'first'), direction: 'inbound' as const, status: 'received' as const },
      })),
    });
    await expect(acceptInboundMessage({ store, inbound: queue() }, message('m1', 'second'))).rejects.toBeInstanceOf(ConflictError);
  });

  it('reports a failed send as retryable', async () => {
    const inbound = queue();
    inbound.send = vi.fn(async () => {
      throw new Error('down');
    });
    const store = storeWith({ putInboundMessage: vi.fn(async () => ({ created: true as const })) });
    await expect(acceptInboundMessage({ store, inbound }, message('m1'))).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('sweepPendingMessages', () => {
  it('re-enqueues messages past the grace period and gives up on ones swept too often', async () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const listPendingMessages = vi.fn(async () => [
      { message: message('a'), sweepCount: 0 },
      { message: message('b'), sweepCount: MAX_SWEEPS },
      { message: message('c'), sweepCount: 1 },
    ]);
    const markSwept = vi.fn(async () => {});
    const markStuck = vi.fn(async () => {});
    const inbound = queue([1]); // the second of the retried ones (c) is refused
    const result = await sweepPendingMessages({ store: storeWith({ listPendingMessages, markSwept, markStuck }), inbound }, now);
    expect(listPendingMessages).toHaveBeenCalledWith(new Date(now.getTime() - SWEEP_GRACE_MS), expect.any(Number));
    expect(result).toEqual({ requeued: 1, givenUp: ['b'] });
    expect(inbound.sent).toEqual([message('a')]);
    expect(markSwept.mock.calls).toEqual([['a']]);
    expect(markStuck.mock.calls).toEqual([['b']]);
  });
});
