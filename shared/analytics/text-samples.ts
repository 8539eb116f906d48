import type { Classification } from '../domain/message';
import { COUNTER_SHARDS, shardOf } from './counters';

/**
 * What need analysis reads: a short copy of each routed inbound message's text with its
 * category and channel, in the reporting table for a year. The hourly rollup writes a closed
 * hour's samples in bundles (many samples an item, so a sample costs its bytes, not a write
 * unit of its own); a message routed after its hour was rolled up writes its own sample with
 * its routing. The analysis job reads a period's samples by day and shard, never the crm table.
 */

/** Characters kept: enough for the terms of a request. */
export const SAMPLE_CHARS = 600;
/** Samples expire after this (TTL), past the longest period analysed (a month) with margin. */
export const SAMPLE_TTL_DAYS = 400;
/** Bytes of samples a bundle holds at most (JSON, UTF-8): well under DynamoDB's 400 KB item limit. */
export const BUNDLE_BYTES = 300_000;

export interface TextSample {
  messageId: string;
  receivedAt: string;
  channel: string;
  /** Category from the classifier; `unclassified` when it had none. */
  category: string;
  text: string;
}

/** The sample of a routed inbound message: subject and text, the category when the classifier was sure of one. */
export function textSampleOf(
  message: { messageId: string; receivedAt: string; channel: string; subject?: string; text: string },
  classification: Pick<Classification, 'topic'> | undefined,
): TextSample {
  const topic = classification?.topic;
  return {
    messageId: message.messageId,
    receivedAt: message.receivedAt,
    channel: message.channel,
    category: topic && !topic.outOfScope ? topic.category : 'unclassified',
    text: (message.subject ? `${message.subject}\n${message.text}` : message.text).slice(0, SAMPLE_CHARS),
  };
}

/** Epoch seconds at which a sample received at `receivedAt` expires. */
export const sampleExpiry = (receivedAt: string): number => Math.floor(Date.parse(receivedAt) / 1000) + SAMPLE_TTL_DAYS * 86_400;

/** The stored form of a single sample: its key parts and the expiry. */
export function textSampleItem(s: TextSample): { day: string; shard: number; sort: string; item: TextSample & { expiresAt: number } } {
  return {
    day: s.receivedAt.slice(0, 10),
    shard: shardOf(s.messageId),
    sort: `${s.receivedAt}#${s.messageId}`,
    item: { ...s, text: s.text.slice(0, SAMPLE_CHARS), expiresAt: sampleExpiry(s.receivedAt) },
  };
}

/**
 * An hour's samples in bundles of at most BUNDLE_BYTES, in message-id order: the same samples
 * always give the same bundles, so a rerun of the rollup rewrites them unchanged.
 */
export function bundleSamples(samples: readonly TextSample[]): TextSample[][] {
  const sorted = [...samples].sort((a, b) => (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0));
  const bundles: TextSample[][] = [];
  let current: TextSample[] = [];
  let bytes = 0;
  for (const s of sorted) {
    const size = Buffer.byteLength(JSON.stringify(s));
    if (current.length && bytes + size > BUNDLE_BYTES) {
      bundles.push(current);
      current = [];
      bytes = 0;
    }
    current.push(s);
    bytes += size;
  }
  if (current.length) bundles.push(current);
  return bundles;
}

export const TEXT_SAMPLE_SHARDS = COUNTER_SHARDS;
