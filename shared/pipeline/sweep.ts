import type { PendingStore } from './pending-store';
import type { MessageQueue } from '../domain/queue';

export interface SweepResult {
  requeued: number;
  /** Messages swept too often: left for an operator (they are likely in a DLQ). */
  givenUp: string[];
}

export const SWEEP_GRACE_MS = 5 * 60_000;
export const MAX_SWEEPS = 3;
const PAGE = 100;

/**
 * Re-enqueues messages stored but not routed within the grace period: a send that
 * failed after the store, or a local restart that lost the emulated queues.
 */
export async function sweepPendingMessages(
  deps: { store: PendingStore; inbound: MessageQueue },
  now: Date,
): Promise<SweepResult> {
  const pending = await deps.store.listPendingMessages(new Date(now.getTime() - SWEEP_GRACE_MS), PAGE);
  const retry = pending.filter((p) => p.sweepCount < MAX_SWEEPS);
  const givenUp = pending.filter((p) => p.sweepCount >= MAX_SWEEPS).map((p) => p.message.messageId);
  const failed = new Set(await deps.inbound.sendBatch(retry.map((p) => p.message)));
  const sent = retry.filter((_, i) => !failed.has(i));
  for (const p of sent) await deps.store.markSwept(p.message.messageId);
  for (const id of givenUp) await deps.store.markStuck(id);
  return { requeued: sent.length, givenUp };
}
