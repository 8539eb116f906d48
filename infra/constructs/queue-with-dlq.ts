import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueSpec } from '../topology';

/** Props of {@link QueueWithDlq}. */
export interface QueueWithDlqProps {
  /** The queue's entry in the topology: retries, DLQ retention, what breaks. */
  spec: QueueSpec;
  /** At least six times the timeout of the consuming function (AWS's guidance for SQS -> Lambda). */
  visibilityTimeout: Duration;
}

/**
 * The house queue: SSE-SQS, TLS only, and always a dead-letter queue with an alarm
 * whose description is the topology's `whatBreaks`, so whoever is paged reads the
 * business impact first.
 *
 * No cdk-nag acknowledgement is needed on the DLQ: AwsSolutions-SQS3 recognises a
 * queue that another queue in the same stack names as its dead-letter target.
 */
export class QueueWithDlq extends Construct {
  /** The work queue a function consumes. */
  readonly queue: Queue;
  /** Where a message lands after `maxReceiveCount` failed receives, kept for a redrive. */
  readonly dlq: Queue;
  /** Fires as soon as one message sits in the DLQ. */
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    this.dlq = keptQueue(this, 'Dlq', props.spec.dlqRetentionDays);
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      // The SQS default, stated: the sweeper re-enqueues anything stored but unrouted long before this.
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: props.spec.maxReceiveCount },
      // DESTROY: a work queue is a buffer, not a record. Messages are stored in the crm
      // table before they are sent, and the sweeper re-enqueues whatever was not routed.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.alarm = messagesWaitingAlarm(this, 'DlqAlarm', this.dlq, props.spec.whatBreaks);
  }
}

/**
 * The alarm of a queue that should stay empty (a DLQ, an on-failure destination): one message
 * visible is enough; the description says what breaks, so whoever is paged reads the impact first.
 */
export function messagesWaitingAlarm(scope: Construct, id: string, queue: Queue, whatBreaks: string): Alarm {
  return new Alarm(scope, id, {
    alarmDescription: whatBreaks,
    // Maximum over the minute (the metric's default statistic): one message is enough.
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
    threshold: 0,
    evaluationPeriods: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
    // An empty queue emits no datapoints for long stretches: that is the healthy state.
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
}

/**
 * A queue that keeps what failed (a DLQ, an on-failure destination): SSE-SQS, TLS only, and
 * RETAIN: it is kept for an operator to inspect and redrive; deleting or replacing the stack
 * must not drop it. An idle orphaned queue costs nothing.
 */
export function keptQueue(scope: Construct, id: string, retentionDays: number): Queue {
  return new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(retentionDays),
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
