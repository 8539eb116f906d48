/**
 * Local stand-in for AWS End User Messaging SMS, both ways, over the real protocols:
 * - outbound: the `PinpointSMSVoiceV2.SendTextMessage` JSON 1.0 API that the deliver
 *   function's SDK client calls (via AWS_ENDPOINT_URL_PINPOINT_SMS_VOICE_V2); sent texts
 *   are kept and listed at `GET /messages`;
 * - inbound: `POST /inbound` with `{ originationNumber, destinationNumber, messageBody }`
 *   (a phone texting us) is published as the SNS notification End User Messaging sends,
 *   which the local runtime hands to the sms function.
 * No emulator for this API exists on npm; this one implements just those two calls.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SNSEvent } from 'aws-lambda';

export interface SentSms {
  messageId: string;
  destinationPhoneNumber: string;
  originationIdentity?: string;
  messageBody: string;
  messageType?: string;
  at: string;
}

export interface SmsEmulator {
  url: string;
  port: number;
  sent(): SentSms[];
  stop(): Promise<void>;
}

const E164 = /^\+[1-9]\d{6,14}$/;
const MAX_BODY = 64 * 1024;

export async function startSmsEmulator(opts: {
  host: string;
  port?: number;
  topicArn: string;
  /** Delivers an inbound text, as SNS would invoke the function subscribed to the topic. */
  onInbound: (event: SNSEvent) => Promise<unknown>;
  logError: (message: string, err: unknown) => void;
}): Promise<SmsEmulator> {
  const sent: SentSms[] = [];
  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      opts.logError('SMS emulator request failed', err);
      if (!res.headersSent) reply(res, 500, { __type: 'InternalServerException', message: 'The SMS emulator failed; see the log.' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'GET' && req.url === '/messages') return reply(res, 200, { messages: sent });
    const body = await readJson(req);
    if (body === undefined) return reply(res, 400, { __type: 'ValidationException', message: 'The body must be a JSON object of at most 64 KB.' });
    if (req.method === 'POST' && req.url === '/inbound') return inbound(body, res);
    const target = req.headers['x-amz-target'];
    if (req.method !== 'POST' || target !== 'PinpointSMSVoiceV2.SendTextMessage') {
      return reply(res, 400, { __type: 'UnknownOperationException', message: `The SMS emulator implements SendTextMessage only (got ${String(target)}).` });
    }
    const to = body.DestinationPhoneNumber;
    if (typeof to !== 'string' || !E164.test(to)) return reply(res, 400, { __type: 'ValidationException', message: `DestinationPhoneNumber ${String(to)} is not an E.164 number.` });
    if (typeof body.MessageBody !== 'string' || !body.MessageBody) return reply(res, 400, { __type: 'ValidationException', message: 'MessageBody is required.' });
    const message: SentSms = {
      messageId: randomUUID(),
      destinationPhoneNumber: to,
      ...(typeof body.OriginationIdentity === 'string' ? { originationIdentity: body.OriginationIdentity } : {}),
      messageBody: body.MessageBody,
      ...(typeof body.MessageType === 'string' ? { messageType: body.MessageType } : {}),
      at: new Date().toISOString(),
    };
    sent.push(message);
    return reply(res, 200, { MessageId: message.messageId });
  }

  async function inbound(body: Record<string, unknown>, res: ServerResponse): Promise<void> {
    const { originationNumber, destinationNumber, messageBody } = body;
    if (typeof originationNumber !== 'string' || typeof destinationNumber !== 'string' || typeof messageBody !== 'string') {
      return reply(res, 400, { message: 'Give originationNumber, destinationNumber and messageBody (strings).' });
    }
    const inboundMessageId = randomUUID();
    const at = new Date().toISOString();
    const message = JSON.stringify({ originationNumber, destinationNumber, messageKeyword: 'KEYWORD_LOCAL', messageBody, inboundMessageId });
    await opts.onInbound({
      Records: [
        {
          EventSource: 'aws:sns',
          EventVersion: '1.0',
          EventSubscriptionArn: `${opts.topicArn}:${randomUUID()}`,
          Sns: {
            Type: 'Notification',
            MessageId: randomUUID(),
            TopicArn: opts.topicArn,
            Subject: '',
            Message: message,
            Timestamp: at,
            SignatureVersion: '1',
            Signature: '',
            SigningCertUrl: '',
            UnsubscribeUrl: '',
            MessageAttributes: {},
          },
        },
      ],
    });
    return reply(res, 202, { inboundMessageId });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${opts.host}:${port}`,
    port,
    sent: () => [...sent],
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
