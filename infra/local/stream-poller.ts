/**
 * What Lambda's DynamoDB event source mapping does, in this process: read every shard of a
 * table's stream in order (following closed shards to their children), drop the records the
 * trigger's filter does not pass, hand the rest to the function as a `DynamoDBStreamEvent` in
 * batches, and retry a failed batch from its lowest failed sequence number (ReportBatchItemFailures)
 * before giving up on it (in AWS the on-failure queue records it; the sweeper touches the message again).
 */
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type AttributeValue,
  type DynamoDBStreamsClient,
  type _Record,
  type Shard,
  type ShardIteratorType,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { FilterPattern } from '../topology';
import { matchesFilter } from './event-filter';
import type { BatchTiming, MappingOptions } from './queue-poller';
import { LOCAL_REGION } from './lambda';

/** `maxBatchingWindowSeconds` 0: invoke with what a read returned. */
export interface StreamPollerOptions extends MappingOptions<DynamoDBStreamEvent, StreamBatchTiming> {
  /** A client on DynamoDB Local's endpoint (it serves the Streams API too). */
  client: DynamoDBStreamsClient;
  /** The table's LatestStreamArn. */
  streamArn: string;
  /** Retries of a failed batch before it is logged and skipped. */
  retryAttempts: number;
  /** Records that do not match are dropped before any invocation, as Lambda's filter criteria do. */
  filter?: FilterPattern;
  /**
   * Where reading starts on the shards open at start. LATEST (default): what was written before is
   * the sweeper's, as after a restart of the emulated queues; tests may read from TRIM_HORIZON.
   */
  startingPosition?: 'LATEST' | 'TRIM_HORIZON';
  /** Pause between reads of an idle stream (default 50 ms; Lambda reads each shard 4 times a second). */
  pollIntervalMs?: number;
  /** First retry delay, doubled on each retry (default 100 ms, at most 5 s). */
  retryBaseMs?: number;
  /** `awsRegion` of the records (DynamoDB Local's ARNs name region `ddblocal`). */
  region?: string;
}

/**
 * One invocation's steps, as the queue poller's BatchTiming, except: `sentAt` is each record's
 * ApproximateCreationDateTime, coarse (AWS rounds it down to the second, DynamoDB Local to the
 * minute), so no measure of the hop's latency (time that from the write instead);
 * `firstReceivedAt` is when the read that returned the first record answered; `deletedAt` =
 * `returnedAt` (a stream has nothing to delete: the mapping only moves its checkpoint).
 */
export interface StreamBatchTiming extends Omit<BatchTiming, 'queueUrl'> {
  streamArn: string;
  /** 0 for the first invocation of these records, then the retry's number. */
  attempt: number;
}

export interface StreamPoller {
  readonly streamArn: string;
  /** Stops reading, lets the invocation in flight finish (no further retries), then resolves. */
  stop(): Promise<void>;
}

/**
 * The lowest failed record's index under Lambda's rules for streams' ReportBatchItemFailures:
 * no response, or no or an empty `batchItemFailures`, is success (`undefined`); an identifier that
 * is empty, not a string or not in the batch makes the response invalid, and the whole batch
 * (index 0) is retried.
 */
export function firstFailedIndex(result: unknown, sequenceNumbers: readonly string[]): number | undefined {
  if (result === undefined || result === null) return undefined;
  if (typeof result !== 'object' || Array.isArray(result)) return 0;
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return undefined;
  if (!Array.isArray(failures)) return 0;
  let lowest: number | undefined;
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    const at = typeof id === 'string' && id !== '' ? sequenceNumbers.indexOf(id) : -1;
    if (at < 0) return 0;
    lowest = lowest === undefined ? at : Math.min(lowest, at);
  }
  return lowest;
}

/** A Streams API record in the shape Lambda passes (numbers for times, base64 for binaries). */
export function toLambdaRecord(r: _Record, eventSourceARN: string, awsRegion: string): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const image = (i: Record<string, AttributeValue> | undefined) => (i ? Object.fromEntries(Object.entries(i).map(([k, v]) => [k, toLambdaValue(v)])) : undefined);
  const keys = image(d.Keys);
  const newImage = image(d.NewImage);
  const oldImage = image(d.OldImage);
  return {
    ...(r.eventID !== undefined ? { eventID: r.eventID } : {}),
    ...(r.eventName !== undefined ? { eventName: r.eventName } : {}),
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion,
    dynamodb: {
      ...(d.ApproximateCreationDateTime ? { ApproximateCreationDateTime: d.ApproximateCreationDateTime.getTime() / 1000 } : {}),
      ...(keys ? { Keys: keys } : {}),
      ...(newImage ? { NewImage: newImage } : {}),
      ...(oldImage ? { OldImage: oldImage } : {}),
      ...(d.SequenceNumber !== undefined ? { SequenceNumber: d.SequenceNumber } : {}),
      ...(d.SizeBytes !== undefined ? { SizeBytes: d.SizeBytes } : {}),
      ...(d.StreamViewType !== undefined ? { StreamViewType: d.StreamViewType } : {}),
    },
    eventSourceARN,
    ...(r.userIdentity ? { userIdentity: r.userIdentity } : {}),
  };
}

function toLambdaValue(v: AttributeValue): LambdaAttributeValue {
  const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  if (v.B !== undefined) return { B: b64(v.B) };
  if (v.BS !== undefined) return { BS: v.BS.map(b64) };
  if (v.M !== undefined) return { M: Object.fromEntries(Object.entries(v.M).map(([k, x]) => [k, toLambdaValue(x)])) };
  if (v.L !== undefined) return { L: v.L.map(toLambdaValue) };
  return v as LambdaAttributeValue;
}

interface ShardState {
  id: string;
  parentId?: string;
  /** Where reading starts until a record was read: the start position, or TRIM_HORIZON for a child shard. */
  start: ShardIteratorType;
  iterator?: string;
  lastSequenceNumber?: string;
  /** Read to its end (NextShardIterator missing): its children may start. */
  done: boolean;
  /** Records read and passed by the filter, not handed on yet (Lambda batches per shard). */
  buffer?: Batch;
}

/** Starts reading the stream; resolves once the shards are found and their iterators taken. */
export async function startStreamPoller(opts: StreamPollerOptions): Promise<StreamPoller> {
  const { client, streamArn } = opts;
  const batchSize = Math.min(Math.max(1, opts.batchSize), 10_000);
  const windowMs = (opts.maxBatchingWindowSeconds ?? 0) * 1000;
  const pollIntervalMs = opts.pollIntervalMs ?? 50;
  const retryBaseMs = opts.retryBaseMs ?? 100;
  const region = opts.region ?? LOCAL_REGION;
  const log = opts.log ?? (() => undefined);
  const logError = opts.logError ?? ((message: string, err: unknown) => console.error(message, err));
  const abort = new AbortController();
  let stopped = false;
  const shards = new Map<string, ShardState>();

  const listShards = async (): Promise<Shard[]> => {
    const all: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await client.send(new DescribeStreamCommand({ StreamArn: streamArn, ...(start ? { ExclusiveStartShardId: start } : {}) }), { abortSignal: abort.signal });
      all.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    return all;
  };

  const iteratorFor = async (shardId: string, type: ShardIteratorType, after?: string): Promise<string | undefined> => {
    const out = await client.send(
      new GetShardIteratorCommand({ StreamArn: streamArn, ShardId: shardId, ShardIteratorType: type, ...(after ? { SequenceNumber: after } : {}) }),
      { abortSignal: abort.signal },
    );
    return out.ShardIterator;
  };

  /**
   * Takes up shards not seen yet. At start, the open ones at `startingPosition` (closed ones hold
   * only what came before); later ones (children of a shard that closed) from TRIM_HORIZON, once
   * their parent is read to its end, so a key's changes stay in order.
   */
  const refreshShards = async (initial: boolean): Promise<void> => {
    for (const s of await listShards()) {
      const id = s.ShardId!;
      if (shards.has(id)) continue;
      const closed = s.SequenceNumberRange?.EndingSequenceNumber !== undefined;
      if (initial && closed) {
        shards.set(id, { id, start: 'TRIM_HORIZON', done: true });
        continue;
      }
      const start = initial ? (opts.startingPosition ?? 'LATEST') : 'TRIM_HORIZON';
      const state: ShardState = { id, ...(s.ParentShardId ? { parentId: s.ParentShardId } : {}), start, done: false };
      shards.set(id, state);
      // At start, now: LATEST means from the moment start() resolves.
      if (initial) state.iterator = await iteratorFor(id, start);
    }
  };

  const ready = (s: ShardState) => !s.done && (!s.parentId || shards.get(s.parentId)?.done !== false);

  /** One invocation; resolves to the index of the lowest failed record, or undefined when all succeeded. */
  const invokeOnce = async (batch: Batch, attempt: number): Promise<number | undefined> => {
    const invokedAt = Date.now();
    let returnedAt = invokedAt;
    let failedFrom: number | undefined = 0;
    try {
      const result = await opts.invoke({ Records: batch.records }).finally(() => (returnedAt = Date.now()));
      failedFrom = firstFailedIndex(result, batch.records.map((r) => r.dynamodb?.SequenceNumber ?? ''));
      if (failedFrom !== undefined) log(`${streamArn}: ${batch.records.length - failedFrom} of ${batch.records.length} records to retry`);
    } catch (err) {
      logError(`${streamArn}: the function failed, the whole batch will be retried`, err);
    }
    try {
      opts.onBatch?.({
        streamArn,
        sentAt: batch.records.map((r) => (r.dynamodb?.ApproximateCreationDateTime ?? NaN) * 1000),
        firstReceivedAt: batch.firstReceivedAt,
        invokedAt,
        returnedAt,
        deletedAt: returnedAt,
        records: batch.records.length,
        failed: failedFrom === undefined ? 0 : batch.records.length - failedFrom,
        attempt,
      });
    } catch (err) {
      logError(`${streamArn}: onBatch failed`, err);
    }
    return failedFrom;
  };

  /** Invokes until the batch succeeds, retrying from the lowest failed record, at most `retryAttempts` times. */
  const deliver = async (batch: Batch): Promise<void> => {
    for (let attempt = 0; ; attempt++) {
      const failedFrom = await invokeOnce(batch, attempt);
      if (failedFrom === undefined) return;
      batch = { ...batch, records: batch.records.slice(failedFrom) };
      const seqs = batch.records.map((r) => r.dynamodb?.SequenceNumber);
      if (stopped || attempt >= opts.retryAttempts) {
        // In AWS the batch's range goes to the on-failure queue; the messages stay unrouted for the sweeper.
        logError(`${streamArn}: gave up on ${batch.records.length} records (${seqs[0]} to ${seqs.at(-1)}) after ${attempt + 1} invocations`, undefined);
        return;
      }
      await sleep(Math.min(retryBaseMs * 2 ** attempt, 5000), abort.signal);
    }
  };

  /** Hands a shard's buffer on in batches: when full, when the window closed, or when the shard ended. */
  const flush = async (s: ShardState): Promise<void> => {
    // Once stopping, what is left is the sweeper's (as everything written while the stack is down).
    while (s.buffer && !stopped && (s.done || s.buffer.records.length >= batchSize || Date.now() - s.buffer.firstReceivedAt >= windowMs)) {
      const batch = { ...s.buffer, records: s.buffer.records.slice(0, batchSize) };
      const rest = s.buffer.records.slice(batchSize);
      if (rest.length) s.buffer = { ...s.buffer, records: rest };
      else delete s.buffer;
      await deliver(batch);
    }
  };

  /** One read of a shard; true when it returned records. */
  const readShard = async (s: ShardState): Promise<boolean> => {
    if (!s.iterator) s.iterator = await iteratorFor(s.id, s.lastSequenceNumber ? 'AFTER_SEQUENCE_NUMBER' : s.start, s.lastSequenceNumber);
    let out;
    try {
      out = await client.send(new GetRecordsCommand({ ShardIterator: s.iterator, Limit: 1000 }), { abortSignal: abort.signal });
    } catch (err) {
      // An iterator lives 15 minutes; take a fresh one after the last record read.
      if ((err as { name?: string }).name === 'ExpiredIteratorException') {
        s.iterator = undefined;
        return false;
      }
      throw err;
    }
    const receivedAt = Date.now();
    const records = out.Records ?? [];
    if (records.length) s.lastSequenceNumber = records.at(-1)!.dynamodb?.SequenceNumber;
    const passed = records.map((r) => toLambdaRecord(r, streamArn, region)).filter((r) => !opts.filter || matchesFilter(opts.filter, r));
    if (passed.length) s.buffer = s.buffer ? { ...s.buffer, records: [...s.buffer.records, ...passed] } : { records: passed, firstReceivedAt: receivedAt };
    if (out.NextShardIterator) s.iterator = out.NextShardIterator;
    else s.done = true;
    return records.length > 0;
  };

  const loop = async (): Promise<void> => {
    let lastRefresh = Date.now();
    while (!stopped) {
      try {
        let busy = false;
        for (const s of shards.values()) {
          if (stopped || !ready(s)) continue;
          busy = (await readShard(s)) || busy;
          // A shard's records are handed on before its next read (or its children's): order per key.
          await flush(s);
        }
        // A shard that ended has children to find (looked for each second until they show); new shards every 10 s.
        const all = [...shards.values()];
        const orphaned = all.some((s) => s.done && s.iterator !== undefined && !all.some((c) => c.parentId === s.id));
        if (Date.now() - lastRefresh > (orphaned ? 1000 : 10_000)) {
          await refreshShards(false);
          lastRefresh = Date.now();
        }
        if (!busy) await sleep(pollIntervalMs, abort.signal);
      } catch (err) {
        if (stopped) break;
        logError(`${streamArn}: reading the stream failed, retrying in 1 s`, err);
        await sleep(1000, abort.signal);
      }
    }
  };

  await refreshShards(true);
  const running = loop();
  return {
    streamArn,
    stop: async () => {
      stopped = true;
      abort.abort();
      await running;
    },
  };
}

interface Batch {
  records: DynamoDBRecord[];
  firstReceivedAt: number;
}

/** A sleep that ends early (without throwing) when the signal aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
