import { describe, expect, it, vi } from 'vitest';
import { acceptInboundMessage } from '../../../shared/channels/accept';
import { ConflictError, DependencyError } from '../../../shared/domain/errors';
import type { InboundMessage } from '../../../shared/domain/message';
import { MAX_SWEEPS, SWEEP_GRACE_MS, sweepPendingMessages } from '../../../shared/pipeline/sweep';
import type { MessageStore } from '../../../shared/channels/message-store';
import type { PendingStore } from '../../../shared/pipeline/pending-store';

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

type Store = MessageStore & PendingStore;
const storeWith = (over: Partial<Store>): Store => over as Store;
const now = new Date('2026-11-22T10:00:05.000Z');

describe('acceptInboundMessage', () => {
  it('stores a new message and does nothing else (the stored item is the outbox)', async () => {
    const touchPendingMessage = vi.fn(async () => {});
    const store = storeWith({ putInboundMessage: vi.fn(async () => ({ created: true as const })), touchPendingMessage });
    await expect(acceptInboundMessage({ store }, message('m1'), now)).resolves.toEqual({ messageId: 'm1', duplicate: false });
    expect(touchPendingMessage).not.toHaveBeenCalled();
  });

  it('touches a duplicate while it is not routed, so the stream hands it on again, but not after', async () => {
    for (const [status, touches] of [['received', 1], ['routed', 0]] as const) {
      const touchPendingMessage = vi.fn(async () => {});
      const store = storeWith({
        putInboundMessage: vi.fn(async () => ({ created: false as const, existing: { ...message('m1'), direction: 'inbound' as const, status } })),
        touchPendingMessage,
      });
      await expect(acceptInboundMessage({ store }, message('m1'), now)).resolves.toEqual({ messageId: 'm1', duplicate: true });
      expect(touchPendingMessage.mock.calls).toEqual(touches ? [['m1', now.toISOString()]] : []);
    }
  });

  it('refuses a reused id with different content', async () => {
    const touchPendingMessage = vi.fn(async () => {});
    const store = storeWith({
      putInboundMessage: vi.fn(async () => ({
        created: false as const,
        existing: { ...message('m1', 'first'), direction: 'inbound' as const, status: 'received' as const },
      })),
      touchPendingMessage,
    });
    await expect(acceptInboundMessage({ store }, message('m1', 'second'), now)).rejects.toBeInstanceOf(ConflictError);
    expect(touchPendingMessage).not.toHaveBeenCalled();
  });

  it('passes a failed touch on as retryable', async () => {
    const store = storeWith({
      putInboundMessage: vi.fn(async () => ({ created: false as const, existing: { ...message('m1'), direction: 'inbound' as const, status: 'received' as const } })),
      touchPendingMessage: vi.fn(async () => {
        throw new DependencyError('DynamoDB failed to retry the message');
      }),
    });
    await expect(acceptInboundMessage({ store }, message('m1'), now)).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('sweepPendingMessages', () => {
  it('hands messages past the grace period on again by counting the sweep, and gives up on ones swept too often', async () => {
    const now = new Date('2026-11-22T12:00:00Z');
    const listPendingMessages = vi.fn(async () => [
      { message: message('a'), sweepCount: 0 },
      { message: message('b'), sweepCount: MAX_SWEEPS },
      { message: message('c'), sweepCount: 1 },
    ]);
    const markSwept = vi.fn(async () => {});
    const markStuck = vi.fn(async () => {});
    const result = await sweepPendingMessages({ store: storeWith({ listPendingMessages, markSwept, markStuck }) }, now);
    expect(listPendingMessages).toHaveBeenCalledWith(new Date(now.getTime() - SWEEP_GRACE_MS), expect.any(Number));
    expect(result).toEqual({ requeued: 2, givenUp: ['b'] });
    expect(markSwept.mock.calls).toEqual([['a'], ['c']]);
    expect(markStuck.mock.calls).toEqual([['b']]);
  });
});
