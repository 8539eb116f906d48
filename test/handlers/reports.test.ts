import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildKpiRow, countersFrom } from '../../shared/analytics/kpi';
import type { KpiRow } from '../../shared/analytics/reporting-store';
import { apiEvent, handlerEnv, lambdaContext } from '../fixtures/api-event';

const ddb = mockClient(DynamoDBDocumentClient);
let handler: (e: unknown, c: unknown) => Promise<{ statusCode: number; headers: Record<string, string>; body: string }>;

beforeAll(async () => {
  Object.assign(process.env, handlerEnv);
  ({ handler } = (await import('../../functions/api/reports')) as never);
});
beforeEach(() => ddb.reset());

const row: KpiRow = buildKpiRow('day', '2026-03-07', 'channel#email', countersFrom({ messagesIn: 12 }), { backlog: 3 });
const auth = { keyId: 'k1', role: 'manager' };

describe('reports handler', () => {
  it('lists KPI rows of one series and period range from the reporting table', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'KPI#day#channel#email', sk: row.periodKey, type: 'kpi', ...row }] });
    const res = await handler(
      apiEvent({ routeKey: 'GET /v1/reports/kpis', query: { granularity: 'day', dimension: 'channel#email', from: '2026-03-01', to: '2026-03-31' }, auth }),
      lambdaContext('reports'),
    );
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body).rows).toEqual([row]);
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.ExpressionAttributeValues).toEqual({ ':pk': 'KPI#day#channel#email', ':from': '2026-03-01', ':to': '2026-03-31' });
  });

  it('exports CSV with the reason next to each undefined index', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'x', sk: row.periodKey, ...row }] });
    const res = await handler(apiEvent({ routeKey: 'GET /v1/reports/kpis', query: { dimension: 'channel#email', format: 'csv' }, auth }), lambdaContext('reports'));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, line] = res.body.trim().split('\n');
    const cols = header!.split(',');
    const cells = line!.split(',');
    expect(cells[cols.indexOf('messagesIn')]).toBe('12');
    expect(cells[cols.indexOf('resolutionMeanSeconds')]).toBe('');
    expect(cells[cols.indexOf('resolutionMeanSeconds_undefined_reason')]).toBe('no tickets resolved in the period');
    expect(cells[cols.indexOf('backlog')]).toBe('3');
  });

  it('answers 400 when a period key does not match the granularity', async () => {
    const res = await handler(apiEvent({ routeKey: 'GET /v1/reports/kpis', query: { granularity: 'week', from: '2026-03-01' }, auth }), lambdaContext('reports'));
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body).detail).toBe('`from` must be a week period key like 2024-W10.');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 404 with a hint when no forecast exists yet, and CSV once it does', async () => {
    ddb.on(GetCommand).resolvesOnce({});
    const missing = await handler(apiEvent({ routeKey: 'GET /v1/reports/forecasts', query: { channel: 'chat' }, auth }), lambdaContext('reports'));
    expect(missing.statusCode).toBe(404);
    expect(JSON.parse(missing.body).detail).toMatch(/No forecast for channel chat yet/);

    ddb.on(GetCommand).resolves({
      Item: { pk: 'FORECAST#chat', sk: 'LATEST', channel: 'chat', runDay: '2026-03-08', daily: [{ date: '2026-03-09', forecast: 10.5, lower: 7, upper: 14 }] },
    });
    const found = await handler(apiEvent({ routeKey: 'GET /v1/reports/forecasts', query: { channel: 'chat', format: 'csv' }, auth }), lambdaContext('reports'));
    expect(found.body).toBe('date,forecast,lower,upper\n2026-03-09,10.5,7,14\n');
  });
});
