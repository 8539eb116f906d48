import { createHash, randomUUID } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { eventually } from '../fixtures/eventually';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startQueuePoller, succeededIds, type BatchTiming, type QueuePollerOptions } from '../../infra/local/queue-poller';

let sqs: SQSClient;
const created: string[] = [];

beforeAll(() => {
  const env = inject('localEnv');
  // An explicit endpoint: the SDK then sends to it, whatever host the queue URL names.
  sqs = new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});

afterEach(async () => {
  await Promise.all(created.splice(0).map((QueueUrl) => sqs.send(new DeleteQueueCommand({ QueueUrl })).catch(() => undefined)));
});

const until = <T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000) => eventually(probe, ms, what);

/** A unique queue with a DLQ and (by default) a 1 s visibility timeout, deleted after the test. */
async function queueWithDlq(maxReceiveCount: number, visibilityTimeout = 1) {
  const name = `t-${randomUUID().slice(0, 8)}`;
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const q = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: String(visibilityTimeout), RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
    }),
  );
  created.push(q.QueueUrl!, dlq.QueueUrl!);
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: q.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url: q.QueueUrl!, dlqUrl: dlq.QueueUrl!, arn };
}

/** In-flight (received, not deleted) messages. */
async function inFlight(url: string): Promise<number> {
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }))).Attributes ?? {};
  return Number(a.ApproximateNumberOfMessagesNotVisible ?? 0);
}

/** Visible plus in-flight messages. */
async function count(url: string): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
  const a = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] }))).Attributes ?? {};
  return names.reduce((n, k) => n + Number(a[k] ?? 0), 0);
}

const poll = (url: string, invoke: QueuePollerOptions['invoke'], extra: Partial<QueuePollerOptions> = {}) =>
  startQueuePoller({ client: sqs, queueUrl: url, batchSize: 10, concurrency: 1, waitTimeSeconds: 1, invoke, log: () => {}, logError: () => {}, ...extra });

describe('queue poller (like the Lambda event source mapping) on fauxqs', () => {
  it('passes records in the shape Lambda does', async () => {
    const { url, arn } = await queueWithDlq(5, 30);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ['one', 'two', 'three'].map((body, i) => ({
          Id: String(i),
          MessageBody: body,
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: 'chat' },
            blob: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 3]) },
          },
        })),
      }),
    );
    const events: SQSEvent[] = [];
    const poller = await poll(url, async (event) => void events.push(event), { maxBatchingWindowSeconds: 1 });
    try {
      await until(async () => (events.flatMap((e) => e.Records).length === 3 ? true : undefined), 'three records');
      await until(async () => ((await count(url)) === 0 ? true : undefined), 'the records to be deleted');
    } finally {
      await poller.stop();
    }
    expect(events).toHaveLength(1); // all three arrived before the first receive: one batch
    const record = events[0]!.Records[0]!;
    expect(record).toMatchObject({
      body: 'one',
      md5OfBody: createHash('md5').update('one').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: arn,
      awsRegion: 'us-east-1',
      attributes: { ApproximateReceiveCount: '1', SenderId: expect.any(String) },
      messageAttributes: {
        kind: { stringValue: 'chat', stringListValues: [], binaryListValues: [], dataType: 'String' },
        blob: { binaryValue: Buffer.from([1, 2, 3]).toString('base64'), dataType: 'Binary' },
      },
    });
    expect(record.messageId).toMatch(/\S/);
    expect(record.receiptHandle).toMatch(/\S/);
    expect(Number(record.attributes.SentTimestamp)).toBeGreaterThan(0);
    expect(Number(record.attributes.ApproximateFirstReceiveTimestamp)).toBeGreaterThanOrEqual(Number(record.attributes.SentTimestamp));
  });

  it('deletes only the records the handler did not report as failed, and the failing one reaches the DLQ', async () => {
    const { url, dlqUrl } = await queueWithDlq(2);
    for (const body of ['ok-1', 'fail', 'ok-2']) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const seen: string[] = [];
    const poller = await poll(url, async (event: SQSEvent) => {
      seen.push(...event.Records.map((r) => r.body));
      return { batchItemFailures: event.Records.filter((r) => r.body === 'fail').map((r) => ({ itemIdentifier: r.messageId })) };
    });
    try {
      const dead = await until(async () => {
        const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlqUrl, WaitTimeSeconds: 1 }));
        return out.Messages?.[0];
      }, 'the failing record in the DLQ');
      expect(dead.Body).toBe('fail');
      expect(seen.filter((b) => b === 'ok-1')).toHaveLength(1);
      expect(seen.filter((b) => b === 'ok-2')).toHaveLength(1);
      expect(seen.filter((b) => b === 'fail')).toHaveLength(2); // maxReceiveCount
      expect(await count(url)).toBe(0);
    } finally {
      await poller.stop();
    }
  });

  it('deletes nothing when the handler throws, so every record comes back', async () => {
    const { url } = await queueWithDlq(5);
    await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
    const deliveries: Array<{ bodies: string[]; counts: string[] }> = [];
    const poller = await poll(url, async (event: SQSEvent) => {
      deliveries.push({ bodies: event.Records.map((r) => r.body).sort(), counts: event.Records.map((r) => r.attributes.ApproximateReceiveCount) });
      if (deliveries.length < 3) throw new Error('boom');
      return undefined;
    });
    try {
      await until(async () => (deliveries.length >= 3 ? true : undefined), 'three deliveries');
      await until(async () => ((await count(url)) === 0 ? true : undefined), 'the queue to empty');
    } finally {
      await poller.stop();
    }
    expect(deliveries.map((d) => d.bodies)).toEqual([['a', 'b'], ['a', 'b'], ['a', 'b']]);
    expect(deliveries.map((d) => d.counts)).toEqual([['1', '1'], ['2', '2'], ['3', '3']]);
  });

  it('deletes nothing when the partial batch response is invalid', async () => {
    const { url } = await queueWithDlq(5);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const counts: string[] = [];
    const poller = await poll(url, async (event: SQSEvent) => {
      counts.push(event.Records[0]!.attributes.ApproximateReceiveCount);
      // An id that is not in the batch: Lambda then fails the whole batch.
      return counts.length === 1 ? { batchItemFailures: [{ itemIdentifier: 'not-in-this-batch' }] } : { batchItemFailures: [] };
    });
    try {
      await until(async () => (counts.length >= 2 && (await count(url)) === 0 ? true : undefined), 'the retry to succeed');
    } finally {
      await poller.stop();
    }
    expect(counts).toEqual(['1', '2']);
  });

  it('stops promptly when idle, and finishes (and deletes) a batch in flight before stop resolves', async () => {
    const idle = await queueWithDlq(5);
    const idlePoller = await poll(idle.url, async () => undefined, { waitTimeSeconds: 10, concurrency: 2 });
    const t0 = Date.now();
    await idlePoller.stop();
    expect(Date.now() - t0).toBeLessThan(2_000); // the 10 s long polls were aborted

    const { url } = await queueWithDlq(5);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'slow' }));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let started = false;
    const poller = await poll(url, async () => {
      started = true;
      await gate;
    });
    await until(async () => (started ? true : undefined), 'the handler to start');
    let stopped = false;
    const stopping = poller.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await count(url)).toBe(0);
  });
});

describe('queue poller: batching window (MaximumBatchingWindowInSeconds)', () => {
  it('without a window, invokes as soon as a receive returns records, without waiting to fill the batch', async () => {
    const { url } = await queueWithDlq(5, 30);
    const timings: BatchTiming[] = [];
    const events: SQSEvent[] = [];
    const poller = await poll(
      url,
      async (event) => {
        events.push(event);
        return { batchItemFailures: [{ itemIdentifier: event.Records[0]!.messageId }] };
      },
      { maxBatchingWindowSeconds: 0, onBatch: (t) => timings.push(t) },
    );
    try {
      await until(async () => ((await count(url)) === 0 ? true : undefined), 'the poller to be idle'); // nothing queued yet
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'alone' }));
      await until(async () => (timings.length ? true : undefined), 'the batch timing');
    } finally {
      await poller.stop();
    }
    expect(events[0]!.Records.map((r) => r.body)).toEqual(['alone']);
    const t = timings[0]!;
    expect(t).toMatchObject({ queueUrl: url, records: 1, failed: 1 });
    // The long poll answered when the message arrived, and the function ran at once (batch of 1 of 10).
    expect(t.firstReceivedAt - t.sentAt[0]!).toBeLessThan(500);
    expect(t.invokedAt - t.firstReceivedAt).toBeLessThan(100);
    expect(t.returnedAt).toBeGreaterThanOrEqual(t.invokedAt);
    expect(t.deletedAt).toBe(t.returnedAt); // the failed record was not deleted: nothing to delete
  });

  it('with a window, gathers the records that arrive within it and invokes when it closes', async () => {
    const { url } = await queueWithDlq(5, 30);
    const timings: BatchTiming[] = [];
    const events: SQSEvent[] = [];
    const poller = await poll(url, async (event) => void events.push(event), { maxBatchingWindowSeconds: 1, onBatch: (t) => timings.push(t) });
    try {
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first' }));
      // The poller holds the first record (in flight) and waits for more.
      await until(async () => (events.length === 0 && (await inFlight(url)) === 1 ? true : undefined), 'the first record to be held');
      await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'second' }));
      await until(async () => (timings.length ? true : undefined), 'the batch timing');
      await until(async () => ((await count(url)) === 0 ? true : undefined), 'the records to be deleted');
    } finally {
      await poller.stop();
    }
    expect(events).toHaveLength(1);
    expect(events[0]!.Records.map((r) => r.body)).toEqual(['first', 'second']);
    const t = timings[0]!;
    expect(t).toMatchObject({ records: 2, failed: 0 });
    expect(t.invokedAt - t.firstReceivedAt).toBeGreaterThanOrEqual(950); // the batch was not full: the whole window
    expect(t.invokedAt - t.firstReceivedAt).toBeLessThan(1_500);
    expect(t.deletedAt).toBeGreaterThanOrEqual(t.returnedAt);
  });

  it('with a window, invokes a full batch before the window closes', async () => {
    const { url } = await queueWithDlq(5, 30);
    const timings: BatchTiming[] = [];
    const poller = await poll(url, async () => undefined, { batchSize: 2, maxBatchingWindowSeconds: 5, onBatch: (t) => timings.push(t) });
    try {
      await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'a' }, { Id: 'b', MessageBody: 'b' }] }));
      await until(async () => (timings.length ? true : undefined), 'the batch timing');
    } finally {
      await poller.stop();
    }
    expect(timings[0]!.records).toBe(2);
    expect(timings[0]!.invokedAt - timings[0]!.firstReceivedAt).toBeLessThan(1_000);
  });
});

describe('queue poller: several poll loops on a quiet queue', () => {
  it('long-poll one at a time, so a message costs no empty receives (fauxqs wakes every waiting poll)', async () => {
    const { url } = await queueWithDlq(5, 30);
    // A client of its own, counting receives and whether they came back empty.
    const env = inject('localEnv');
    const counted = new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const receives: Array<{ empty: boolean; ms: number }> = [];
    counted.middlewareStack.add(
      (next, context) => async (args) => {
        const started = Date.now();
        const out = await next(args);
        if (context.commandName === 'ReceiveMessageCommand') {
          receives.push({ empty: !(out.output as { Messages?: unknown[] }).Messages?.length, ms: Date.now() - started });
        }
        return out;
      },
      { step: 'initialize', name: 'countReceives' },
    );
    const bodies: string[] = [];
    const poller = await startQueuePoller({
      client: counted,
      queueUrl: url,
      batchSize: 10,
      concurrency: 3,
      waitTimeSeconds: 5,
      invoke: async (event) => void bodies.push(...event.Records.map((r) => r.body)),
      logError: () => {},
    });
    try {
      for (const body of ['one', 'two']) {
        await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
        await until(async () => (bodies.includes(body) && (await count(url)) === 0 ? true : undefined), `${body} handled`);
      }
    } finally {
      await poller.stop();
      counted.destroy();
    }
    expect(bodies).toEqual(['one', 'two']);
    // Every receive either brought a message or waited its whole long poll (or was aborted by stop).
    expect(receives.filter((r) => r.empty && r.ms < 4_000)).toEqual([]);
  });
});

describe('succeededIds (Lambda partial batch response rules)', () => {
  const ids = ['a', 'b', 'c'];
  it.each([
    ['no response', undefined, ['a', 'b', 'c']],
    ['null', null, ['a', 'b', 'c']],
    ['an empty object', {}, ['a', 'b', 'c']],
    ['batchItemFailures null', { batchItemFailures: null }, ['a', 'b', 'c']],
    ['an empty list', { batchItemFailures: [] }, ['a', 'b', 'c']],
    ['one failure', { batchItemFailures: [{ itemIdentifier: 'b' }] }, ['a', 'c']],
  ])('%s', (_, result, expected) => {
    expect([...succeededIds(result, ids)!].sort()).toEqual(expected);
  });
  it.each([
    ['an unknown id', { batchItemFailures: [{ itemIdentifier: 'z' }] }],
    ['an empty id', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null id', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['a wrong key', { batchItemFailures: [{ id: 'a' }] }],
    ['not a list', { batchItemFailures: 'a' }],
    ['a string', 'ok'],
  ])('fails the whole batch for %s', (_, result) => {
    expect(succeededIds(result, ids)).toBeUndefined();
  });
});
