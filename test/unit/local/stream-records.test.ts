import { describe, expect, it } from 'vitest';
import { firstFailedIndex, toLambdaRecord } from '../../../infra/local/stream-poller';

const seqs = ['100', '2000', '30000'];

describe("stream poller: Lambda's rules for a stream batch's response", () => {
  it('counts no response, no list or an empty list as success', () => {
    for (const result of [undefined, null, {}, { batchItemFailures: null }, { batchItemFailures: [] }]) expect(firstFailedIndex(result, seqs)).toBeUndefined();
  });

  it('retries from the lowest failed sequence number, whatever order the list has', () => {
    expect(firstFailedIndex({ batchItemFailures: [{ itemIdentifier: '30000' }, { itemIdentifier: '2000' }] }, seqs)).toBe(1);
  });

  it('retries the whole batch for an invalid response (unknown or empty id, wrong key, not an object)', () => {
    for (const result of [
      { batchItemFailures: [{ itemIdentifier: '999' }] },
      { batchItemFailures: [{ itemIdentifier: '' }] },
      { batchItemFailures: [{ id: '2000' }] },
      { batchItemFailures: 'all' },
      'failed',
      [],
    ]) expect(firstFailedIndex(result, seqs)).toBe(0);
  });
});

describe('stream poller: the record shape Lambda passes', () => {
  it('turns a Streams API record into a Lambda record (times in epoch seconds, binaries base64, nested values too)', () => {
    const record = toLambdaRecord(
      {
        eventID: 'e1',
        eventName: 'MODIFY',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'ddblocal',
        dynamodb: {
          ApproximateCreationDateTime: new Date('2026-12-03T10:00:00.000Z'),
          Keys: { pk: { S: 'MSG#m1' }, sk: { S: 'MSG' } },
          NewImage: { pk: { S: 'MSG#m1' }, blob: { B: new Uint8Array([1, 2, 3]) }, list: { L: [{ M: { b: { BS: [new Uint8Array([4])] } } }] }, n: { N: '5' } },
          SequenceNumber: '100',
          SizeBytes: 42,
          StreamViewType: 'NEW_IMAGE',
        },
      },
      'arn:aws:dynamodb:ddblocal:000000000000:table/crm/stream/x',
      'us-east-1',
    );
    expect(record).toEqual({
      eventID: 'e1',
      eventName: 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: 'us-east-1',
      dynamodb: {
        ApproximateCreationDateTime: 1796292000,
        Keys: { pk: { S: 'MSG#m1' }, sk: { S: 'MSG' } },
        NewImage: { pk: { S: 'MSG#m1' }, blob: { B: 'AQID' }, list: { L: [{ M: { b: { BS: ['BA=='] } } }] }, n: { N: '5' } },
        SequenceNumber: '100',
        SizeBytes: 42,
        StreamViewType: 'NEW_IMAGE',
      },
      eventSourceARN: 'arn:aws:dynamodb:ddblocal:000000000000:table/crm/stream/x',
    });
  });
});
