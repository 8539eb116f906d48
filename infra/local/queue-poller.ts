/**
 * What Lambda's SQS event source mapping does, in this process: long-poll the
 * queue, hand batches to the function as an `SQSEvent`, delete what succeeded,
 * and leave failures to reappear after the visibility timeout, so the queue's
 * redrive policy moves a message that keeps failing to its DLQ.
 */
import { createHash } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda';
import { queueArn as fetchQueueArn } from './resources';

/** What the local event source mappings (this one and stream-poller.ts) share: batching, the function, logs. */
export interface MappingOptions<E, T> {
  /** Records per invocation. */
  batchSize: number;
  /** Keep gathering records for up to this long before invoking, like the mapping's batching window. */
  maxBatchingWindowSeconds?: number;
  invoke: (event: E) => Promise<unknown>;
  /** Called after each invocation: where a record's time went (the bench reads it). */
  onBatch?: (timing: T) => void;
  log?: (line: string) => void;
  logError?: (message: string, err: unknown) => void;
}

/** `batchSize`: SQS returns at most 10 per receive, so at most 10 here. */
export interface QueuePollerOptions extends MappingOptions<SQSEvent, BatchTiming> {
  /** A client with an explicit `endpoint` (see docs/local-runtime.md on fauxqs queue URLs). */
  client: SQSClient;
  queueUrl: string;
  /** Looked up with GetQueueAttributes when omitted. */
  queueArn?: string;
  /** Concurrent pollers on the queue (Lambda starts with five; two is plenty on a laptop). */
  concurrency?: number;
  /** Long-poll duration of each ReceiveMessage, in seconds (default 2). */
  waitTimeSeconds?: number;
}

/** Epoch milliseconds of one batch's steps. */
export interface BatchTiming {
  queueUrl: string;
  /** Each record's SentTimestamp (when the producer's SendMessage reached the queue). */
  sentAt: number[];
  /** When the first receive of the batch returned records: the batching window starts here. */
  firstReceivedAt: number;
  /** When the function was invoked (the window closed or the batch was full). */
  invokedAt: number;
  /** When the function returned (or threw). */
  returnedAt: number;
  /** When the DeleteMessageBatch answered (= returnedAt when nothing was deleted). */
  deletedAt: number;
  records: number;
  failed: number;
}

export interface QueuePoller {
  readonly queueUrl: string;
  /** Aborts the long polls, lets batches in flight finish (and be deleted), then resolves. */
  stop(): Promise<void>;
}

/**
 * Which records to delete after an invocation, following Lambda's rules for
 * `ReportBatchItemFailures`: no response or no/empty `batchItemFailures` means
 * all succeeded; an identifier that is empty, not a string or not in the batch
 * makes the whole response invalid, and then the whole batch counts as failed.
 * Returns the ids that succeeded, or `undefined` when none may be deleted.
 */
export function succeededIds(result: unknown, batchIds: readonly string[]): Set<string> | undefined {
  const all = new Set(batchIds);
  if (result === undefined || result === null) return all;
  if (typeof result !== 'object' || Array.isArray(result)) return undefined;
  const failures = (result as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return all;
  if (!Array.isArray(failures)) return undefined;
  for (const f of failures) {
    const id = (f as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !all.has(id)) return undefined;
    all.delete(id);
  }
  return all;
}

/** Turns a received message into the record shape Lambda passes (lower-camel attribute values, base64 binaries). */
export function toSqsRecord(m: Message, eventSourceARN: string): SQSRecord {
  const messageAttributes: SQSMessageAttributes = {};
  for (const [name, a] of Object.entries(m.MessageAttributes ?? {}) as Array<[string, MessageAttributeValue]>) {
    messageAttributes[name] = {
      ...(a.StringValue !== undefined ? { stringValue: a.StringValue } : {}),
      ...(a.BinaryValue !== undefined ? { binaryValue: Buffer.from(a.BinaryValue).toString('base64') } : {}),
      stringListValues: a.StringListValues ?? [],
      binaryListValues: (a.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: a.DataType ?? 'String',
    };
  }
  const body = m.Body ?? '';
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body,
    attributes: (m.Attributes ?? {}) as unknown as SQSRecordAttributes,
    messageAttributes,
    md5OfBody: m.MD5OfBody ?? createHash('md5').update(body, 'utf8').digest('hex'),
    ...(m.MD5OfMessageAttributes ? { md5OfMessageAttributes: m.MD5OfMessageAttributes } : {}),
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion: eventSourceARN.split(':')[3] ?? 'us-east-1',
  };
}

/** Starts `concurrency` poll loops on one queue. */
export async function startQueuePoller(opts: QueuePollerOptions): Promise<QueuePoller> {
  const { client, queueUrl } = opts;
  const batchSize = Math.min(Math.max(1, opts.batchSize), 10);
  const windowMs = (opts.maxBatchingWindowSeconds ?? 0) * 1000;
  // Short long polls (AWS allows up to 20 s): stop() aborts them anyway, and a fresh poll sees new queues' messages sooner.
  const waitTimeSeconds = opts.waitTimeSeconds ?? 2;
  const log = opts.log ?? (() => undefined);
  const logError = opts.logError ?? ((message: string, err: unknown) => console.error(message, err));
  const arn = opts.queueArn ?? (await fetchQueueArn(client, queueUrl));
  const abort = new AbortController();
  let stopped = false;

  const receive = async (max: number, wait: number): Promise<Message[]> => {
    const out = await client.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: max,
        WaitTimeSeconds: wait,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
      { abortSignal: abort.signal },
    );
    return out.Messages ?? [];
  };

  /**
   * One batch: the first long poll, then more receives until the batch is full or the window closes.
   * Keyed by message id: when the window outlasts the visibility timeout, a record we already hold
   * can be received again; it goes to the function once, with the newest (the only valid) receipt handle.
   */
  const receiveBatch = async (): Promise<{ messages: Message[]; firstReceivedAt: number }> => {
    const batch = new Map<string, Message>();
    const add = (messages: Message[]) => messages.forEach((m) => batch.set(m.MessageId ?? m.ReceiptHandle ?? '', m));
    add(await receive(batchSize, waitTimeSeconds));
    const firstReceivedAt = Date.now();
    const closesAt = Date.now() + windowMs;
    while (batch.size > 0 && batch.size < batchSize && !stopped) {
      const left = closesAt - Date.now();
      if (left <= 0) break;
      try {
        const more = await receive(batchSize - batch.size, Math.floor(left / 1000));
        add(more);
        if (more.length === 0 && left < 1000) await sleep(Math.min(left, 50), abort.signal);
      } catch {
        break; // stopping, or the emulator hiccuped: invoke with what we hold rather than strand it
      }
    }
    return { messages: [...batch.values()], firstReceivedAt };
  };

  const handleBatch = async (messages: Message[], firstReceivedAt: number): Promise<void> => {
    let event: SQSEvent = { Records: [] };
    let ok: Set<string> | undefined;
    const invokedAt = Date.now();
    let returnedAt = invokedAt;
    try {
      // Inside the try: a record we cannot convert fails the batch (retried, then DLQ), not the poll loop.
      event = { Records: messages.map((m) => toSqsRecord(m, arn)) };
      const result = await opts.invoke(event).finally(() => (returnedAt = Date.now()));
      ok = succeededIds(result, event.Records.map((r) => r.messageId));
      if (!ok) logError(`${queueUrl}: invalid partial batch response, the whole batch will be retried`, result);
    } catch (err) {
      logError(`${queueUrl}: the function failed, the whole batch will be retried`, err);
    }
    const toDelete = ok ? event.Records.filter((r) => ok.has(r.messageId)) : [];
    if (ok && toDelete.length < event.Records.length) {
      log(`${queueUrl}: ${event.Records.length - toDelete.length} of ${event.Records.length} records failed`);
    }
    const timing = (deletedAt: number): BatchTiming => ({
      queueUrl,
      sentAt: messages.map((m) => Number(m.Attributes?.SentTimestamp ?? NaN)),
      firstReceivedAt,
      invokedAt,
      returnedAt,
      deletedAt,
      records: messages.length,
      failed: messages.length - toDelete.length,
    });
    const report = (deletedAt: number) => {
      try {
        opts.onBatch?.(timing(deletedAt));
      } catch (err) {
        logError(`${queueUrl}: onBatch failed`, err);
      }
    };
    if (toDelete.length === 0) return report(returnedAt);
    try {
      const out = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: toDelete.map((r, i) => ({ Id: String(i), ReceiptHandle: r.receiptHandle })),
        }),
      );
      if (out.Failed?.length) logError(`${queueUrl}: ${out.Failed.length} deletes failed (the records will be redelivered)`, out.Failed);
    } catch (err) {
      logError(`${queueUrl}: DeleteMessageBatch failed (the records will be redelivered)`, err);
    }
    report(Date.now());
  };

  /**
   * One poll loop of the queue receives at a time; the others run their batches or wait for the turn.
   * fauxqs wakes every long poll waiting on a queue when a message arrives, and all but one then
   * return empty at once (SQS would keep them waiting), so parallel long polls on a quiet queue only
   * add empty receives: one per message and idle loop, which AWS would not bill. With a backlog a
   * receive answers at once, so the turn costs no throughput; records reach the function as soon as
   * with parallel polls.
   */
  let turn: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = turn.then(fn, fn);
    turn = run.catch(() => undefined);
    return run;
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      let messages: Message[];
      let firstReceivedAt: number;
      try {
        ({ messages, firstReceivedAt } = await inTurn(() => (stopped ? Promise.resolve({ messages: [], firstReceivedAt: Date.now() }) : receiveBatch())));
      } catch (err) {
        if (stopped) break;
        logError(`${queueUrl}: ReceiveMessage failed, retrying in 1 s`, err);
        await sleep(1000, abort.signal);
        continue;
      }
      // Even when stopping: these records are ours now, so finish them rather than strand them invisible.
      if (messages.length > 0) await handleBatch(messages, firstReceivedAt);
    }
  };

  const loops = Array.from({ length: Math.max(1, opts.concurrency ?? 2) }, () => loop());
  return {
    queueUrl,
    stop: async () => {
      stopped = true;
      abort.abort();
      await Promise.all(loops);
    },
  };
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
