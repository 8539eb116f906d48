import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextRunOf, parseRate, startScheduler } from '../../infra/local/scheduler';
import { functions } from '../../infra/topology';
import { CLOSE_MARGIN_MINUTES } from '../../shared/analytics/routing-counts';

describe('parseRate', () => {
  it.each([
    ['rate(1 minute)', 60_000],
    ['rate(5 minutes)', 300_000],
    ['rate(1 hour)', 3_600_000],
    ['rate(2 days)', 172_800_000],
  ])('%s', (expr, ms) => expect(parseRate(expr)).toBe(ms));

  it.each(['rate(5 minute)', 'rate(1 minutes)', 'rate(0 minutes)', 'cron(0 * * * ? *)', 'rate(5 seconds)'])('rejects %s as EventBridge would', (expr) => {
    expect(() => parseRate(expr)).toThrow(expr);
  });
});

describe('cron schedules', () => {
  const next = (expr: string, after: string) => new Date(nextRunOf(expr, 0)(Date.parse(after))).toISOString();

  it('fires at the next matching UTC time, strictly after the one given', () => {
    expect(next('cron(16 * * * ? *)', '2026-12-03T10:20:00.000Z')).toBe('2026-12-03T11:16:00.000Z');
    expect(next('cron(16 * * * ? *)', '2026-12-03T11:16:00.000Z')).toBe('2026-12-03T12:16:00.000Z');
    expect(next('cron(0 6 ? * MON *)', '2026-12-03T10:00:00.000Z')).toBe('2026-12-07T06:00:00.000Z');
  });

  it.each(['cron(16 * * * *)', 'cron(16 * * * ? 2027)', 'cron(16 * * * * *)', 'cron(99 * * * ? *)'])('rejects %s', (expr) => {
    expect(() => nextRunOf(expr, 0)).toThrow(expr);
  });

  it('runs the KPI job just after the hour before it closes (so an hour is read live only in its first minutes)', () => {
    const t = functions.kpis!.trigger;
    expect(t.kind).toBe('schedule');
    const minute = Number(/^cron\((\d+) \* \* \* \? \*\)$/.exec(t.kind === 'schedule' ? t.expression : '')?.[1]);
    expect(minute).toBeGreaterThan(CLOSE_MARGIN_MINUTES);
    expect(minute).toBeLessThan(CLOSE_MARGIN_MINUTES + 5);
  });

  it('a scheduler fires a cron job at its times', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-03T10:20:00.000Z') });
    const times: string[] = [];
    const scheduler = startScheduler([{ name: 'kpis', expression: 'cron(16 * * * ? *)', invoke: async (e) => void times.push(e.time) }], { log: () => {} });
    await vi.advanceTimersByTimeAsync(2 * 3_600_000);
    expect(times).toEqual(['2026-12-03T11:16:00Z', '2026-12-03T12:16:00Z']);
    await scheduler.stop();
  });
});

describe('scheduler', () => {
  afterEach(() => vi.useRealTimers());

  it('runs a job every interval with a Scheduled Event, skipping ticks while a run is still going', async () => {
    vi.useFakeTimers();
    const events: ScheduledEvent[] = [];
    let release: (() => void) | undefined;
    const scheduler = startScheduler(
      [
        {
          name: 'sweeper',
          expression: 'rate(1 minute)',
          invoke: async (e) => {
            events.push(e);
            await new Promise<void>((r) => (release = r));
          },
        },
      ],
      { log: () => {} },
    );
    await vi.advanceTimersByTimeAsync(59_000);
    expect(events).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', region: 'us-east-1', resources: [], detail: {} });
    expect(events[0]!.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await vi.advanceTimersByTimeAsync(120_000); // two ticks while the first run hangs
    expect(events).toHaveLength(1);
    release!();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events).toHaveLength(2);
    release!();
    await scheduler.stop();
  });

  it('runNow runs after the current run, never alongside it, and reports the result or error', async () => {
    let running = 0;
    let maxRunning = 0;
    let calls = 0;
    const scheduler = startScheduler(
      [
        {
          name: 'job',
          expression: 'rate(1 day)',
          invoke: async () => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await new Promise((r) => setTimeout(r, 50));
            running--;
            calls++;
            if (calls === 2) throw new Error('second run failed');
            return calls;
          },
        },
      ],
      { autoStart: false },
    );
    const results = await Promise.allSettled([scheduler.runNow('job'), scheduler.runNow('job'), scheduler.runNow('job')]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([1, 'second run failed', 3]);
    expect(maxRunning).toBe(1);
    await expect(scheduler.runNow('nope')).rejects.toThrow('No schedule named "nope"');
    await scheduler.stop();
  });
});
