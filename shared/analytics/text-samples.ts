import { COUNTER_SHARDS, shardOf } from './counters';

/**
 * What need analysis reads: a short copy of each routed inbound message's text with its
 * category and channel, written to the reporting table in the routing transaction (so
 * exactly once), and kept for a year. The analysis job reads a period's samples by day
 * and shard, never the crm table.
 */

/** Characters kept: enough for the terms of a request, small enough to stay one write unit. */
export const SAMPLE_CHARS = 600;
/** Samples expire after this (TTL), past the longest period analysed (a month) with margin. */
export const SAMPLE_TTL_DAYS = 400;

export interface TextSample {
  messageId: string;
  receivedAt: string;
  channel: string;
  /** Category from the classifier; `unclassified` when it had none. */
  category: string;
  text: string;
}

/** The stored form of a sample: its key parts and the expiry in epoch seconds. */
export function textSampleItem(s: TextSample): { day: string; shard: number; sort: string; item: TextSample & { expiresAt: number } } {
  return {
    day: s.receivedAt.slice(0, 10),
    shard: shardOf(s.messageId),
    sort: `${s.receivedAt}#${s.messageId}`,
    item: { ...s, text: s.text.slice(0, SAMPLE_CHARS), expiresAt: Math.floor(Date.parse(s.receivedAt) / 1000) + SAMPLE_TTL_DAYS * 86_400 },
  };
}

export const TEXT_SAMPLE_SHARDS = COUNTER_SHARDS;
