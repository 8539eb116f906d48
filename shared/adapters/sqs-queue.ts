import { SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DependencyError } from '../domain/errors';
import type { MessageQueue } from '../domain/queue';
import { meterSqs } from './capacity-meter';

const SQS_BATCH = 10;

/** A standard SQS queue carrying JSON bodies. */
export class SqsQueue implements MessageQueue {
  private readonly sqs: SQSClient;
  constructor(private readonly opts: { queueUrl: string; client?: SQSClient }) {
    if (opts.client) this.sqs = opts.client;
    else meterSqs((this.sqs = new SQSClient({})));
  }

  async send(body: unknown): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.opts.queueUrl, MessageBody: JSON.stringify(body) }));
    } catch (err) {
      throw new DependencyError('SQS failed to accept the message', { cause: err });
    }
  }

  async sendBatch(bodies: unknown[]): Promise<number[]> {
    const failed: number[] = [];
    for (let start = 0; start < bodies.length; start += SQS_BATCH) {
      const chunk = bodies.slice(start, start + SQS_BATCH);
      const entries = chunk.map((b, i) => ({ Id: String(start + i), MessageBody: JSON.stringify(b) }));
      try {
        const out = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: this.opts.queueUrl, Entries: entries }));
        for (const f of out.Failed ?? []) failed.push(Number(f.Id));
      } catch {
        // The whole call failed: every entry of the chunk is reported, the caller decides.
        failed.push(...entries.map((e) => Number(e.Id)));
      }
    }
    return failed;
  }
}
