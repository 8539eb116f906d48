import { Validations } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { keptQueue, messagesWaitingAlarm } from './queue-with-dlq';

/** Props of {@link FailureQueue}. */
export interface FailureQueueProps {
  retentionDays: number;
  /** What breaks when records land here: the alarm's description. */
  whatBreaks: string;
}

/**
 * The on-failure destination of a table stream's event source mappings: Lambda puts there the
 * description of a batch it gave up on (shard, sequence numbers, the error), not the records.
 * SSE-SQS, TLS only, alarmed like a DLQ, RETAIN (what failed is kept for an operator).
 */
export class FailureQueue extends Construct {
  readonly queue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    super(scope, id);
    this.queue = keptQueue(this, 'Queue', props.retentionDays);
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is itself a failure destination (the stream mapping's on-failure queue); nothing consumes it, so it needs no DLQ of its own.",
    });
    this.alarm = messagesWaitingAlarm(this, 'Alarm', this.queue, props.whatBreaks);
  }
}
