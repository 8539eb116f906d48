import { Duration, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QueueSpec } from '../topology';

/**
 * The house queue: encrypted, TLS only, and always with a dead-letter queue and an
 * alarm on it whose description says what breaks when it fills.
 */
export class QueueWithDlq extends Construct {
  readonly queue: Queue;
  readonly dlq: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: { spec: QueueSpec; visibilityTimeout: Duration }) {
    super(scope, id);
    this.dlq = new Queue(this, 'Dlq', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(props.spec.dlqRetentionDays),
    });
    Validations.of(this.dlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This is the dead-letter queue; its messages wait for an operator to redrive them.',
    });
    this.queue = new Queue(this, 'Queue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: props.visibilityTimeout,
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: props.spec.maxReceiveCount },
    });
    this.alarm = new Alarm(this, 'DlqAlarm', {
      alarmDescription: `${props.spec.whatBreaks} Messages are waiting in the dead-letter queue; fix the cause, then redrive.`,
      metric: this.dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
