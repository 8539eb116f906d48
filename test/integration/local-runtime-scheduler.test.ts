import type { ScheduledEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseRate, startScheduler } from '../../infra/local/scheduler';

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
