import { beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoReportingStore } from '../../shared/adapters/dynamo-reporting-store';
import { runForecastJob } from '../../shared/analytics/forecast-job';
import { buildKpiRow, countersFrom, periodKey } from '../../shared/analytics/kpi';
import { localDocumentClient } from './local-clients';

let store: DynamoReportingStore;

beforeAll(() => {
  const env = inject('localEnv');
  const doc = localDocumentClient(env);
  store = new DynamoReportingStore({ tableName: env.REPORTING_TABLE!, client: doc });
});

const DAY_MS = 86_400_000;
const options = { horizonDays: 14, historyDays: 120, timeZone: 'UTC', serviceLevelTarget: 0.8, answerWithinSeconds: 20, averageHandleSeconds: 300 };

describe('forecast job on the local emulators', () => {
  // Years of their own (3000+), apart from the other tests' far-future days.
  const year = 3000 + Math.floor(Math.random() * 900);
  const now = new Date(`${year}-06-01T06:00:00.000Z`);

  it('forecasts a channel from its daily KPI rows, with accuracy and hourly staffing, and serves it as the latest', async () => {
    // Twelve weeks of sms volume with a weekly pattern: weekdays ~100, Saturdays ~40, Sundays ~20.
    const rows = [];
    for (let d = 84; d >= 1; d--) {
      const day = periodKey('day', new Date(now.getTime() - d * DAY_MS));
      const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
      // A little deterministic noise, so seasonal naive is not perfect (MASE would be undefined).
      const volume = (dow === 0 ? 20 : dow === 6 ? 40 : 100) + ((d * 7) % 5) - 2;
      // The last 20 days: agents logged 2 pieces of work a day, 8 minutes in all → 240 s each.
      const handling = d <= 20 ? { communicationSeconds: 480, handlingLogs: 2 } : {};
      rows.push(buildKpiRow('day', day, 'channel#sms', countersFrom({ messagesIn: volume, ...handling })));
    }
    await store.putKpiRows(rows);

    const outcomes = await runForecastJob(store, now, options);
    expect(outcomes.find((o) => o.series === 'sms')).toMatchObject({ stored: true });
    expect(outcomes.find((o) => o.series === 'voice')).toMatchObject({ stored: false });

    const f = await store.getLatestForecast('sms');
    expect(f?.runDay).toBe(`${year}-06-01`);
    expect(f?.historyDays).toBe(84);
    expect(f?.daily).toHaveLength(14);
    expect(f?.daily[0]?.date).toBe(`${year}-06-01`);
    for (const p of f!.daily) {
      const dow = new Date(`${p.date}T00:00:00Z`).getUTCDay();
      const expected = dow === 0 ? 20 : dow === 6 ? 40 : 100;
      expect(Math.abs(p.forecast - expected) / expected, p.date).toBeLessThan(0.1);
      expect(p.lower).toBeLessThanOrEqual(p.forecast);
      expect(p.upper).toBeGreaterThanOrEqual(p.forecast);
    }
    // A finite MASE on this near-perfect weekly series (its size depends on the tiny noise, so no bound is asserted).
    expect(Number.isFinite(f?.accuracy.mase)).toBe(true);
    expect(f!.accuracy.origins).toBeGreaterThan(0);
    // 14 days × 24 hours, each with the agents Erlang C needs for 80 % in 20 s.
    expect(f?.staffing?.hourly).toHaveLength(336);
    // Measured from the agents' logged time, not the configured 300 s.
    expect(f?.staffing).toMatchObject({ averageHandleSeconds: 240, averageHandleSource: 'measured', handlingLogs: 40 });
    const busiest = f!.staffing!.hourly.reduce((a, b) => (b.contacts > a.contacts ? b : a));
    expect(busiest.agents).toBeGreaterThanOrEqual(1);
    expect(busiest.serviceLevel).toBeGreaterThanOrEqual(0.8);

    // A re-run the same day overwrites the day's record: still one latest, same numbers.
    await runForecastJob(store, now, options);
    expect((await store.getLatestForecast('sms'))?.daily).toEqual(f?.daily);
  });
});
