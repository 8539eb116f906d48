/**
 * The local SES inbound stand-in against a real SMTP client (nodemailer) and a
 * real S3 emulator (its own fauxqs, so the test owns what it checks).
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { SESEvent } from 'aws-lambda';
import { startFauxqs, type FauxqsServer } from 'fauxqs';
import nodemailer from 'nodemailer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpIngest, type SmtpIngest } from '../../infra/local/smtp-ingest';
import { RAW_MAIL_PREFIX } from '../../infra/topology';
import { S3RawMail } from '../../shared/adapters/s3-raw-mail';
import { parseEmail } from '../../shared/channels/email';
import { RawMailNotFoundError } from '../../shared/domain/raw-mail';
import { eventually } from '../fixtures/eventually';

const BUCKET = 'raw-mail-smtp-test';
let fauxqs: FauxqsServer;
let s3: S3Client;
let smtp: SmtpIngest | undefined;

beforeAll(async () => {
  fauxqs = await startFauxqs({ port: 0, logger: false });
  fauxqs.createBucket(BUCKET);
  s3 = new S3Client({
    endpoint: `http://127.0.0.1:${fauxqs.port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    forcePathStyle: true,
  });
});
afterEach(async () => {
  await smtp?.stop();
  smtp = undefined;
});
afterAll(async () => {
  s3?.destroy();
  await fauxqs?.stop();
});

/** Starts the ingest on a free port; `invoke` records each event (and may fail). */
async function start(opts: { maxBytes?: number; failFirst?: number } = {}) {
  const events: SESEvent[] = [];
  let failures = opts.failFirst ?? 0;
  smtp = await startSmtpIngest({
    port: 0,
    s3Client: s3,
    bucket: BUCKET,
    ...(opts.maxBytes ? { maxBytes: opts.maxBytes } : {}),
    retryDelaysMs: [10, 10],
    invoke: async (event) => {
      events.push(event);
      if (failures-- > 0) throw new Error('function failed');
    },
    logError: () => undefined,
  });
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true });
  return { events, transport };
}

const mail = {
  from: '"Ana Silva" <ana.silva@example.com>',
  to: 'support@shop.example',
  subject: 'Where is my parcel?',
  text: 'Order #1042 has not arrived.\n\nOn Sat, 21 Nov 2026 at 18:02, Shop Support <support@shop.example> wrote:\n> It shipped.',
  messageId: '<smtp-test-1@example.com>',
  references: ['<root-1@shop.example>'],
  attachments: [{ filename: 'receipt.txt', content: 'paid 42 EUR' }],
};

describe('smtp-ingest', () => {
  it('stores real SMTP mail in S3 and invokes the function with an SES-shaped event pointing at it', async () => {
    const { events, transport } = await start();
    const info = await transport.sendMail(mail);
    expect(info.response).toMatch(/^250 /);
    await eventually(async () => (events.length >= 1 ? true : undefined), 10_000, 'the invocation');
    expect(events).toHaveLength(1);

    const record = events[0]!.Records[0]!;
    expect(record).toMatchObject({ eventSource: 'aws:ses', eventVersion: '1.0' });
    const { mail: sesMail, receipt } = record.ses;
    expect(sesMail.messageId).toMatch(/^[0-9a-z]{40}$/);
    expect(sesMail).toMatchObject({
      source: 'ana.silva@example.com',
      destination: ['support@shop.example'],
      headersTruncated: false,
      commonHeaders: {
        returnPath: 'ana.silva@example.com',
        from: ['Ana Silva <ana.silva@example.com>'],
        to: ['support@shop.example'],
        messageId: '<smtp-test-1@example.com>',
        subject: 'Where is my parcel?',
      },
    });
    expect(sesMail.headers).toEqual(expect.arrayContaining([{ name: 'Subject', value: 'Where is my parcel?' }]));
    expect(Date.parse(sesMail.timestamp)).not.toBeNaN();
    expect(receipt).toMatchObject({
      recipients: ['support@shop.example'],
      spamVerdict: { status: 'PASS' },
      virusVerdict: { status: 'PASS' },
      spfVerdict: { status: 'PASS' },
      dkimVerdict: { status: 'PASS' },
      dmarcVerdict: { status: 'PASS' },
      action: { type: 'Lambda', invocationType: 'Event' },
    });
    // No body in the event: the function must read it from the bucket, as in AWS.
    expect(JSON.stringify(record)).not.toContain('has not arrived');

    const object = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: RAW_MAIL_PREFIX + sesMail.messageId }));
    expect(await object.Body!.transformToString()).toContain('Order #1042 has not arrived.');

    // What the email function does with it: the adapter reads it back and the parser makes the message.
    const raw = await new S3RawMail({ bucket: BUCKET, client: s3 }).read(RAW_MAIL_PREFIX + sesMail.messageId);
    const parsed = await parseEmail(raw, { sesMessageId: sesMail.messageId, receivedAt: sesMail.timestamp, recipients: receipt.recipients });
    expect(parsed).toMatchObject({
      kind: 'message',
      message: {
        from: 'ana.silva@example.com',
        text: 'Order #1042 has not arrived.',
        threadKey: '<root-1@shop.example>',
        attachments: [{ filename: 'receipt.txt', contentType: 'text/plain', size: 11 }],
      },
    });
  });

  it('retries a failed invocation, as Lambda does for asynchronous events', async () => {
    const { events, transport } = await start({ failFirst: 2 });
    await transport.sendMail(mail);
    await eventually(async () => (events.length >= 3 ? true : undefined), 10_000, 'three attempts');
    expect(events).toHaveLength(3);
    expect(new Set(events.map((e) => e.Records[0]!.ses.mail.messageId)).size).toBe(1);
  });

  it('refuses mail over maxBytes with an SMTP error and stores nothing', async () => {
    const { events, transport } = await start({ maxBytes: 2048 });
    await expect(transport.sendMail({ ...mail, text: 'x'.repeat(10_000) })).rejects.toMatchObject({ responseCode: 552 });
    await new Promise((r) => setTimeout(r, 50));
    expect(events).toHaveLength(0);
  });

  it('reports a missing raw mail object as RawMailNotFoundError', async () => {
    await expect(new S3RawMail({ bucket: BUCKET, client: s3 }).read(`${RAW_MAIL_PREFIX}does-not-exist`)).rejects.toBeInstanceOf(
      RawMailNotFoundError,
    );
  });
});
