/**
 * Local stand-in for SES inbound: a real SMTP server on loopback. Each accepted
 * mail is stored in the raw-mail bucket under `RAW_MAIL_PREFIX + <id>` (the S3
 * action), then the email function is invoked with an SES-shaped event (the
 * Lambda action, asynchronous: retried twice on failure, as Lambda does).
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import PostalMime from 'postal-mime';
import { SMTPServer } from 'smtp-server';
import { RAW_MAIL_PREFIX } from '../topology';

export interface SmtpIngestOptions {
  host?: string;
  /** 0 picks a free port. */
  port: number;
  s3: S3Client;
  bucket: string;
  invoke: (event: SESEvent) => Promise<unknown>;
  /** SES refuses mail over 40 MB with an S3 action; locally 10 MB is plenty. */
  maxBytes?: number;
  log?: (line: string) => void;
  logError?: (message: string, err: unknown) => void;
}

/** SES message ids are 20–40 lowercase letters and digits. */
const sesMessageId = () => randomBytes(20).toString('hex');

/** Builds the event SES gives a Lambda action: headers and verdicts, never the body. */
export async function sesEventFor(raw: Buffer, opts: { messageId: string; mailFrom: string; recipients: string[]; at: Date }): Promise<SESEvent> {
  const parsed = await PostalMime.parse(raw);
  const addresses = (list: typeof parsed.to) => (list ?? []).flatMap((a) => ('address' in a && a.address ? [a.address] : []));
  const from = parsed.from && 'address' in parsed.from && parsed.from.address ? [parsed.from.address] : [];
  const verdict = { status: 'PASS' };
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: opts.at.toISOString(),
            source: opts.mailFrom,
            messageId: opts.messageId,
            destination: opts.recipients,
            headersTruncated: false,
            headers: parsed.headers.map((h) => ({ name: h.originalKey, value: h.value })),
            commonHeaders: {
              returnPath: opts.mailFrom,
              from,
              to: addresses(parsed.to),
              date: parsed.date ?? opts.at.toUTCString(),
              messageId: parsed.messageId ?? '',
              subject: parsed.subject ?? '',
            },
          },
          receipt: {
            timestamp: opts.at.toISOString(),
            processingTimeMillis: 0,
            recipients: opts.recipients,
            spamVerdict: verdict,
            virusVerdict: verdict,
            spfVerdict: verdict,
            dkimVerdict: verdict,
            dmarcVerdict: verdict,
            action: { type: 'Lambda', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:switchboard-email', invocationType: 'Event' },
          },
        },
      },
    ],
  } as unknown as SESEvent;
}

/** Starts the SMTP server; resolves once it listens. */
export async function startSmtpIngest(opts: SmtpIngestOptions): Promise<{ port: number; stop(): Promise<void> }> {
  const maxBytes = opts.maxBytes ?? 10 * 1024 * 1024;
  const log = opts.log ?? (() => undefined);
  const logError = opts.logError ?? ((m: string, e: unknown) => console.error(m, e));
  const pending = new Set<Promise<void>>();

  const deliver = async (event: SESEvent, id: string) => {
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await opts.invoke(event);
        return;
      } catch (err) {
        logError(`email function failed for ${id} (attempt ${attempt} of 3)`, err);
        if (attempt < 3) await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
  };

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    banner: 'Switchboard local SES inbound',
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          const err = Object.assign(new Error(`Message exceeds the ${maxBytes}-byte limit`), { responseCode: 552 });
          return callback(err);
        }
        const raw = Buffer.concat(chunks);
        const id = sesMessageId();
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        opts.s3
          .send(new PutObjectCommand({ Bucket: opts.bucket, Key: RAW_MAIL_PREFIX + id, Body: raw, ContentType: 'message/rfc822' }))
          .then(async () => {
            callback(null, `Ok: queued as ${id}`);
            log(`SMTP ${mailFrom} -> ${recipients.join(', ')} stored as ${RAW_MAIL_PREFIX}${id} (${raw.length} bytes)`);
            const event = await sesEventFor(raw, { messageId: id, mailFrom, recipients, at: new Date() });
            const job = deliver(event, id).finally(() => pending.delete(job));
            pending.add(job);
          })
          .catch((err: unknown) => {
            logError('could not store the mail', err);
            callback(Object.assign(new Error('Temporary failure storing the message'), { responseCode: 451 }));
          });
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  server.on('error', (err) => logError('SMTP server error', err));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    stop: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...pending]);
    },
  };
}
