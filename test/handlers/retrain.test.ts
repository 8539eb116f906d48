import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetrainDecision } from '../../shared/classify/model-store';
import { DependencyError } from '../../shared/domain/errors';
import { handlerEnv } from '../fixtures/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
let handler: (e: unknown) => Promise<RetrainDecision>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv, { MODELS_BUCKET: 'models-test' });
  ({ handler } = (await import('../../functions/jobs/retrain')) as never);
});
beforeEach(() => {
  ddb.reset();
  s3.reset();
});

const label = (ticketId: string, text: string, minute: number) => ({
  pk: `LABEL#${ticketId}`, sk: 'LABEL', type: 'label', gsi1pk: 'LABELS', gsi1sk: `x#${ticketId}`,
  ticketId, text, category: 'PAYMENT', intent: 'payment_issue', previousCategory: 'ORDER', correctedBy: 'key_1',
  correctedAt: `2026-12-01T10:0${minute}:00.000Z`,
});
const EVENT = { time: '2026-12-02T03:00:00Z' };
const putKeys = () => s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input.Key);

describe('retrain handler', () => {
  it('skips and records why when no agent corrected anything', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'none', $metadata: {} }));
    s3.on(PutObjectCommand).resolves({});
    const d = await handler(EVENT);
    expect(d).toMatchObject({ outcome: 'skipped', corrections: 0 });
    expect(ddb.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ TableName: 'crm-test', IndexName: 'gsi1', ExpressionAttributeValues: { ':pk': 'LABELS' } });
    expect(putKeys()).toEqual(['models/retrain/decisions/2026-12-02T03-00-00-000Z.json', 'models/retrain/latest.json']);
  });

  it('reads every page of corrections, trains, and promotes intent then category before recording', async () => {
    ddb
      .on(QueryCommand)
      .resolvesOnce({ Items: [label('t1', 'my voucher code was rejected at checkout', 1), label('t2', 'the voucher does not work', 2)], LastEvaluatedKey: { pk: 'LABEL#t2', sk: 'LABEL', gsi1pk: 'LABELS', gsi1sk: 'x#t2' } })
      .resolvesOnce({ Items: [label('t3', 'I got a voucher but it fails', 3), label('t4', 'voucher problem again', 4), label('t5', 'the discount code from your email is not accepted', 5)] });
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'none', $metadata: {} }));
    s3.on(PutObjectCommand).resolves({});
    const d = await handler(EVENT);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(2);
    expect(ddb.commandCalls(QueryCommand)[1]!.args[0].input.ExclusiveStartKey).toMatchObject({ pk: 'LABEL#t2' });
    expect(d).toMatchObject({ outcome: 'promoted', corrections: 5, currentSource: 'shipped', correctionsThrough: '2026-12-01T10:05:00.000Z' });
    const v = d.version!;
    expect(putKeys()).toEqual([
      `models/support-intent/${v}.json`,
      'models/support-intent/current.json',
      `models/support-category/${v}.json`,
      'models/support-category/current.json',
      'models/retrain/decisions/2026-12-02T03-00-00-000Z.json',
      'models/retrain/latest.json',
    ]);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.every((p) => p.Bucket === 'models-test' && p.ContentType === 'application/json')).toBe(true);
    const pointer = JSON.parse(String(puts[3]!.Body));
    expect(pointer).toMatchObject({ name: 'support-category', version: v, key: `models/support-category/${v}.json`, examples: { corrections: 5 } });
    const artifact = JSON.parse(String(puts[2]!.Body));
    expect(artifact).toMatchObject({ format: 'switchboard-text-model', trainedAt: '2026-12-02T03:00:00.000Z' });
  }, 60_000); // trains both models on the 3.6k shipped rows (~5 s alone, more on a busy machine)

  it('fails (to be retried) without promoting when the models bucket cannot be read', async () => {
    ddb.on(QueryCommand).resolves({ Items: [label('t1', 'voucher problem again', 1)] });
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: 'InternalError', $fault: 'server', message: 'boom', $metadata: { httpStatusCode: 500 } }));
    await expect(handler(EVENT)).rejects.toBeInstanceOf(DependencyError);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
