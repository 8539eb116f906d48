import type { PendingStore } from './pending-store';

export interface SweepResult {
  /** Messages handed to the pipeline again. */
  requeued: number;
  /** Messages swept too often: left for an operator (the on-failure queue or a DLQ likely says why). */
  givenUp: string[];
}

export const SWEEP_GRACE_MS = 5 * 60_000;
export const MAX_SWEEPS = 3;
const PAGE = 100;

/**
 * Hands messages stored but not routed within the grace period to the pipeline again: a
 * classify or routing run that gave up on them (the stream's retries, a DLQ), or a local
 * restart (the local stream poller starts at the stream's end). Counting the sweep is the
 * re-trigger: the store's update passes the stream to classify.
 */
export async function sweepPendingMessages(deps: { store: PendingStore }, now: Date): Promise<SweepResult> {
  const pending = await deps.store.listPendingMessages(new Date(now.getTime() - SWEEP_GRACE_MS), PAGE);
  const retry = pending.filter((p) => p.sweepCount < MAX_SWEEPS);
  const givenUp = pending.filter((p) => p.sweepCount >= MAX_SWEEPS).map((p) => p.message.messageId);
  for (const p of retry) await deps.store.markSwept(p.message.messageId);
  for (const id of givenUp) await deps.store.markStuck(id);
  return { requeued: retry.length, givenUp };
}
