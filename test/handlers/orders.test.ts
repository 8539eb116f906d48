import { BatchGetCommand, BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiEvent, handlerEnv, lambdaContext } from '../fixtures/api-event';
import { ORDER_CSV_HEADER } from '../fixtures/generated-orders';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/api/orders')) as never);
});
beforeEach(() => {
  ddb.reset();
  ddb.on(BatchGetCommand).resolves({ Responses: { 'crm-test': [] } });
  ddb.on(BatchWriteCommand).resolves({});
});

const auth = { keyId: 'k1', role: 'integration' };
const csvImport = (rows: string[]) =>
  handler(
    apiEvent({ routeKey: 'POST /v1/orders/import', rawBody: [ORDER_CSV_HEADER, ...rows].join('\n'), headers: { 'content-type': 'text/csv' }, auth }),
    lambdaContext('orders'),
  );
const puts = () => ddb.commandCalls(BatchWriteCommand).flatMap((c) => (c.args[0].input.RequestItems!['crm-test'] ?? []).map((r) => r.PutRequest!.Item!));

describe('order import', () => {
  it('stores one item per invoice with its month index, and says which invoices it replaced', async () => {
    ddb.on(BatchGetCommand).resolves({ Responses: { 'crm-test': [{ pk: 'ORDER#536365' }] } });
    const res = await csvImport([
      '536365,85123A,WHITE HANGING HEART,6,2011-03-01 08:26:00,2.55,17850,United Kingdom',
      '536365,POST,POSTAGE,1,2011-03-01 08:26:00,18,17850,United Kingdom',
      'C536379,D,Discount,-1,2011-04-02 09:41:00,27.5,14527.0,United Kingdom',
      '536380,22961,JAM MAKING SET,1,2011-04-02 09:45:00,0,14527,United Kingdom',
    ]);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      imported: { orders: 2, created: 1, replaced: 1, lines: 3 },
      dropped: { noCustomer: 0, zeroOrNegativePrice: 1, zeroQuantity: 0 },
      months: ['2011-03', '2011-04'],
    });
    const items = puts();
    expect(items.map((i) => [i.pk, i.sk, i.gsi1pk, i.gsi1sk, i.customerId, i.lines.length])).toEqual([
      ['ORDER#536365', 'ORDER', 'ORDERS#2011-03', '2011-03-01 08:26:00#536365', '17850', 2],
      ['ORDER#C536379', 'ORDER', 'ORDERS#2011-04', '2011-04-02 09:41:00#C536379', '14527', 1],
    ]);
    expect(items[0]!.lines[0]).toEqual({ stockCode: '85123A', description: 'WHITE HANGING HEART', quantity: 6, unitPrice: 2.55 });
  });

  it('answers 400 with every bad row number and what is wrong, and writes nothing', async () => {
    const res = await csvImport([
      '1,85123A,OK,6,2011-03-01 08:26:00,2.55,17850,United Kingdom',
      '2,85123A,BAD QTY,six,2011-03-01 08:26:00,2.55,17850,United Kingdom',
      '3,85123A,BAD DATE,1,2011-02-30 08:26:00,2.55,17850,United Kingdom',
      '4,85123A,OK,1,2011-03-01 08:26:00,2.55,17850,United Kingdom',
      ',,BAD IDS,1,2011-03-01 08:26:00,2.55,17850,United Kingdom',
    ]);
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.detail).toBe('3 of 5 lines are not valid; nothing was imported.');
    expect(body.details).toEqual([
      { path: 'row 2', message: 'Quantity "six" is not a number' },
      { path: 'row 3', message: 'InvoiceDate "2011-02-30 08:26:00" is not a date (YYYY-MM-DD HH:MM:SS)' },
      { path: 'row 5', message: 'InvoiceNo "" must be 1-64 letters, digits, - or _; StockCode is empty' },
    ]);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
  });

  it('answers 400 for a missing column, an invoice of two customers, and 415 for another content type', async () => {
    const noColumn = await handler(
      apiEvent({ routeKey: 'POST /v1/orders/import', rawBody: 'InvoiceNo,StockCode\n1,2\n', headers: { 'content-type': 'text/csv' }, auth }),
      lambdaContext('orders'),
    );
    expect(noColumn.statusCode).toBe(400);
    expect(JSON.parse(noColumn.body).detail).toMatch(/has no column "Description"/);

    const mixed = await csvImport(['9,85123A,A,1,2011-03-01 08:26:00,2.55,1,UK', '9,85123A,A,1,2011-03-01 08:26:00,2.55,2,UK']);
    expect(mixed.statusCode).toBe(400);
    expect(JSON.parse(mixed.body).detail).toBe('invoice 9 has lines of customers 1 and 2; nothing was imported.');

    const xml = await handler(apiEvent({ routeKey: 'POST /v1/orders/import', rawBody: '<orders/>', headers: { 'content-type': 'application/xml' }, auth }), lambdaContext('orders'));
    expect(xml.statusCode).toBe(415);
    expect(ddb.commandCalls(BatchWriteCommand)).toHaveLength(0);
  });

  it('takes JSON lines with numbers, writes 25 items per batch and retries unprocessed items', async () => {
    const lines = Array.from({ length: 30 }, (_, i) => ({
      InvoiceNo: `J${i}`,
      StockCode: '22961',
      Description: 'JAM MAKING SET',
      Quantity: 2,
      InvoiceDate: '2011-05-03 10:00:00',
      UnitPrice: 1.45,
      CustomerID: 12345,
      Country: 'France',
    }));
    const leftOver = { 'crm-test': [{ PutRequest: { Item: { pk: 'ORDER#J0', sk: 'ORDER' } } }] };
    ddb.on(BatchWriteCommand).resolvesOnce({ UnprocessedItems: leftOver }).resolves({});
    const res = await handler(apiEvent({ routeKey: 'POST /v1/orders/import', body: { lines }, auth }), lambdaContext('orders'));
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).imported).toEqual({ orders: 30, created: 30, replaced: 0, lines: 30 });
    const sizes = ddb.commandCalls(BatchWriteCommand).map((c) => c.args[0].input.RequestItems!['crm-test']!.length);
    expect(sizes).toEqual([25, 1, 5]); // first batch, its unprocessed item, second batch
    expect(puts()[0]!.customerId).toBe('12345');
  });

  it('refuses a body above 5 MB (import bigger files in several requests)', async () => {
    const row = '1,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2011-03-01 08:26:00,2.55,17850,United Kingdom';
    const res = await csvImport(Array.from({ length: Math.ceil((5 * 1024 * 1024) / row.length) + 1 }, () => row));
    expect(res.statusCode).toBe(413);
  });
});
