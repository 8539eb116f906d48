import { marshall } from '@aws-sdk/util-dynamodb';
import type { FunctionName } from '../../infra/topology';
import { inboundMessageItem } from '../../shared/adapters/crm-items';
import type { InboundMessage } from '../../shared/domain/message';

/** One realistic event per function for the cold-start runs (each does its real I/O). */
export function coldStartEvents(): Partial<Record<FunctionName, unknown>> {
  const session = 'bench_cold_0123456789abcdef';
  const message = {
    messageId: 'msg_cold',
    channel: 'chat',
    providerMessageId: `${session}:cold`,
    from: session,
    alsoKnownAs: [],
    text: 'My order has not arrived, please help',
    attachments: [],
    threadKey: session,
    receivedAt: new Date().toISOString(),
  };
  const sqs = (body: unknown) => ({
    Records: [
      {
        messageId: 'r1',
        receiptHandle: 'h',
        body: JSON.stringify(body),
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '0', SenderId: 'x', ApproximateFirstReceiveTimestamp: '0' },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
        awsRegion: 'us-east-1',
      },
    ],
  });
  // The crm stream's record of the stored message, as the DynamoDB event source mapping passes it.
  const item = inboundMessageItem(message as InboundMessage);
  const stream = {
    Records: [
      {
        eventID: 'e1',
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: { ApproximateCreationDateTime: Math.floor(Date.now() / 1000), Keys: marshall({ pk: item.pk, sk: item.sk }), NewImage: marshall(item), SequenceNumber: '1', SizeBytes: 300, StreamViewType: 'NEW_IMAGE' },
        eventSourceARN: 'arn:aws:dynamodb:us-east-1:000000000000:table/crm/stream/2026-12-03T00:00:00.000',
      },
    ],
  };
  const http = (routeKey: string, extra: object = {}) => ({
    version: '2.0',
    routeKey,
    rawPath: routeKey.split(' ')[1],
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { requestId: 'cold', http: { method: routeKey.split(' ')[0], path: routeKey.split(' ')[1] } },
    isBase64Encoded: false,
    ...extra,
  });
  return {
    authorizer: { type: 'REQUEST', routeKey: 'GET /v1/tickets', headers: { authorization: `Bearer sbk_${'A'.repeat(43)}` } },
    chat: http('POST /v1/channels/chat/messages', { body: JSON.stringify({ sessionId: session, text: message.text }) }),
    classify: stream,
    route: sqs({
      message,
      classification: {
        language: { code: 'en', confidence: 1 },
        sentiment: { score: 0, comparative: 0, label: 'neutral' },
        urgency: { score: 10, reasons: [] },
      },
    }),
    tickets: http('GET /v1/tickets'),
    apiKeys: http('GET /v1/api-keys'),
    sweeper: { 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} },
    email: {
      Records: [
        {
          eventSource: 'aws:ses',
          ses: {
            mail: { messageId: 'cold-missing', timestamp: new Date().toISOString(), source: 'a@b.example', destination: ['s@x.example'] },
            receipt: { spamVerdict: { status: 'PASS' }, virusVerdict: { status: 'PASS' }, recipients: ['s@x.example'] },
          },
        },
      ],
    },
    sms: {
      Records: [
        {
          EventSource: 'aws:sns',
          Sns: {
            MessageId: 'cold',
            Timestamp: new Date().toISOString(),
            Message: JSON.stringify({ originationNumber: '+14255550182', destinationNumber: '+12125550199', messageBody: 'hi', inboundMessageId: `cold-${Date.now()}` }),
          },
        },
      ],
    },
  };
}
