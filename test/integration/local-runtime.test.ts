import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHttpServer, type LocalHttpServer } from '../../infra/local/http-server';
import { startQueuePoller } from '../../infra/local/queue-poller';

let sqs: SQSClient;

beforeAll(() => {
  const env = inject('localEnv');
  sqs = new SQSClient({ endpoint: env.AWS_ENDPOINT_URL_SQS, region: env.AWS_REGION, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});

async function until<T>(probe: () => Promise<T | undefined>, what: string, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function queueWithDlq(maxReceiveCount: number) {
  const name = `t-${randomUUID().slice(0, 8)}`;
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const q = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount }) },
    }),
  );
  return { url: q.QueueUrl!, dlqUrl: dlq.QueueUrl! };
}

const count = async (url: string) =>
  Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }))).Attributes?.ApproximateNumberOfMessages ?? 0);

describe('queue poller (like the Lambda event source mapping) on fauxqs', () => {
  it('deletes only the records the handler did not report as failed, and the failing one reaches the DLQ', async () => {
    const { url, dlqUrl } = await queueWithDlq(2);
    for (const body of ['ok-1', 'fail', 'ok-2']) await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
    const seen: string[] = [];
    const poller = await startQueuePoller({
      client: sqs,
      queueUrl: url,
      batchSize: 10,
      concurrency: 1,
      waitTimeSeconds: 1,
      invoke: async (event: SQSEvent) => {
        seen.push(...event.Records.map((r) => r.body));
        return { batchItemFailures: event.Records.filter((r) => r.body === 'fail').map((r) => ({ itemIdentifier: r.messageId })) };
      },
      log: () => {},
      logError: () => {},
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
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'a' }));
    const deliveries: number[] = [];
    const poller = await startQueuePoller({
      client: sqs,
      queueUrl: url,
      batchSize: 10,
      concurrency: 1,
      waitTimeSeconds: 1,
      invoke: async (event: SQSEvent) => {
        deliveries.push(Number(event.Records[0]!.attributes.ApproximateReceiveCount));
        if (deliveries.length < 3) throw new Error('boom');
        return undefined;
      },
      log: () => {},
      logError: () => {},
    });
    try {
      await until(async () => (deliveries.length >= 3 ? true : undefined), 'three deliveries');
      expect(deliveries).toEqual([1, 2, 3]);
      await until(async () => ((await count(url)) === 0 ? true : undefined), 'the queue to empty');
    } finally {
      await poller.stop();
    }
  });
});

describe('HTTP server (API Gateway v2 events)', () => {
  let server: LocalHttpServer;
  const events: any[] = [];
  let allow = true;

  beforeAll(async () => {
    server = await startHttpServer({
      routes: [
        { route: { method: 'POST', path: '/v1/things/{id}', auth: 'public' }, invoke: async (e) => (events.push(e), { statusCode: 201, body: 'made' }) },
        { route: { method: 'GET', path: '/v1/secret', auth: ['admin'] }, invoke: async (e) => (events.push(e), { hello: 'world' }) },
      ],
      authorizer: async (e: any) => ({ isAuthorized: allow && e.headers.authorization === 'Bearer good', context: { keyId: 'k1', role: 'admin' } }),
      port: 0,
      quiet: true,
    });
  });
  afterAll(() => server.close());

  it('turns a request into a payload v2 event with path parameters, query and body', async () => {
    const res = await fetch(`${server.url}/v1/things/42?a=1&a=2&b=x`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Test': 'y' }, body: '{"n":1}' });
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('made');
    const e = events.at(-1);
    expect(e).toMatchObject({
      version: '2.0',
      routeKey: 'POST /v1/things/{id}',
      rawPath: '/v1/things/42',
      pathParameters: { id: '42' },
      queryStringParameters: { a: '1,2', b: 'x' },
      body: '{"n":1}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/v1/things/42' }, stage: '$default' },
    });
    expect(e.headers['x-test']).toBe('y');
  });

  it('answers 401 without a key, 403 when the authorizer refuses, and passes its context on', async () => {
    expect((await fetch(`${server.url}/v1/secret`)).status).toBe(401);
    expect((await fetch(`${server.url}/v1/secret`, { headers: { authorization: 'Bearer bad' } })).status).toBe(403);
    const ok = await fetch(`${server.url}/v1/secret`, { headers: { authorization: 'Bearer good' } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ hello: 'world' });
    expect(events.at(-1).requestContext.authorizer.lambda).toEqual({ keyId: 'k1', role: 'admin' });
  });

  it('answers 404 for unknown routes', async () => {
    const res = await fetch(`${server.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });
});
