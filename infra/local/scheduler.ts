/**
 * Runs the topology's schedules in this process, standing in for EventBridge
 * Scheduler: each job every `rate(...)` or at each `cron(...)` time (UTC), never
 * two runs of the same job at once.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import { Cron } from 'croner';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './lambda';

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

/**
 * Parses `rate(N unit)` into milliseconds. Like EventBridge, the unit is singular
 * for 1 and plural otherwise, so an expression AWS would reject fails here too.
 */
export function parseRate(expression: string): number {
  const m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!m) throw new Error(`Unsupported schedule "${expression}": use rate(N minute|minutes|hour|hours|day|days)`);
  const n = Number(m[1]);
  const unit = m[2]!;
  const plural = unit.endsWith('s');
  if (n < 1 || (n === 1) === plural) {
    throw new Error(`Invalid schedule "${expression}": the value must be positive, the unit singular for 1 and plural otherwise`);
  }
  return n * UNIT_MS[(plural ? unit.slice(0, -1) : unit) as keyof typeof UNIT_MS];
}

/**
 * EventBridge Scheduler's `cron(minutes hours day-of-month month day-of-week year)` as a croner
 * pattern (evaluated in UTC, the scheduler's default time zone). The year must be `*`.
 */
export function parseCron(expression: string): Cron {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  const fields = m?.[1]!.trim().split(/\s+/) ?? [];
  if (fields.length !== 6 || fields[5] !== '*') throw new Error(`Unsupported schedule "${expression}": use cron(minutes hours day-of-month month day-of-week *)`);
  if ((fields[2] === '?') === (fields[4] === '?')) throw new Error(`Invalid schedule "${expression}": exactly one of day-of-month and day-of-week must be ?`);
  try {
    return new Cron(fields.slice(0, 5).map((f) => (f === '?' ? '*' : f)).join(' '), { timezone: 'UTC', paused: true });
  } catch (err) {
    throw new Error(`Invalid schedule "${expression}": ${(err as Error).message}`);
  }
}

/** When a schedule next fires after `after` (epoch ms): rate() counts from `start`, as a new schedule does. */
export function nextRunOf(expression: string, start: number): (after: number) => number {
  if (expression.trim().startsWith('cron(')) {
    const cron = parseCron(expression);
    return (after) => cron.nextRun(new Date(after))!.getTime();
  }
  const interval = parseRate(expression);
  return (after) => start + (Math.floor((after - start) / interval) + 1) * interval;
}

/** An EventBridge "Scheduled Event". */
export function scheduledEvent(now = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: LOCAL_ACCOUNT,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: LOCAL_REGION,
    resources: [],
    detail: {},
  };
}

export interface ScheduledJob {
  name: string;
  expression: string;
  invoke: (event: ScheduledEvent) => Promise<unknown>;
}

export interface Scheduler {
  readonly jobs: ReadonlyArray<{ name: string; expression: string }>;
  /** Runs a job now (after its current run, if any) and resolves with the handler's result; rejects with its error. */
  runNow(name: string): Promise<unknown>;
  /** Stops the timers and waits for runs in flight. */
  stop(): Promise<void>;
}

/**
 * Starts a timer per job. A rate's first run comes one interval after start, as
 * with a new EventBridge schedule; a cron's at its next time. A tick that finds
 * the job still running is skipped; a failed run is logged and the schedule goes on.
 */
export function startScheduler(
  jobs: readonly ScheduledJob[],
  opts: { log?: (line: string) => void; logError?: (message: string, err: unknown) => void; autoStart?: boolean } = {},
): Scheduler {
  const log = opts.log ?? (() => undefined);
  const logError = opts.logError ?? ((message: string, err: unknown) => console.error(message, err));
  const state = new Map(
    jobs.map((job) => [job.name, { job, next: nextRunOf(job.expression, Date.now()), timer: undefined as NodeJS.Timeout | undefined, running: undefined as Promise<unknown> | undefined }]),
  );
  let stopped = false;

  const run = (name: string): Promise<unknown> => {
    const s = state.get(name)!;
    const previous = s.running ?? Promise.resolve();
    const current: Promise<unknown> = previous
      .catch(() => undefined)
      .then(() => s.job.invoke(scheduledEvent()))
      .finally(() => {
        if (s.running === current) s.running = undefined;
      });
    s.running = current;
    return current;
  };

  const tick = (s: typeof state extends Map<string, infer V> ? V : never) => {
    if (stopped) return;
    if (s.running) return log(`schedule ${s.job.name}: previous run still going, tick skipped`);
    run(s.job.name).then(
      () => log(`schedule ${s.job.name}: ran`),
      (err: unknown) => logError(`schedule ${s.job.name} failed`, err),
    );
  };
  // From the time planned, not the time the timer fired (it may fire a little late or, against the
  // wall clock, early): each planned time runs once.
  const arm = (s: typeof state extends Map<string, infer V> ? V : never, from: number) => {
    if (stopped) return;
    const at = s.next(from);
    s.timer = setTimeout(() => {
      arm(s, at);
      tick(s);
    }, Math.max(0, at - Date.now()));
  };
  if (opts.autoStart !== false) for (const s of state.values()) arm(s, Date.now());

  return {
    jobs: [...state.values()].map((s) => ({ name: s.job.name, expression: s.job.expression })),
    runNow: async (name) => {
      if (!state.has(name)) throw new Error(`No schedule named "${name}" (have: ${[...state.keys()].join(', ') || 'none'})`);
      if (stopped) throw new Error('The scheduler is stopped');
      return run(name);
    },
    stop: async () => {
      stopped = true;
      for (const s of state.values()) if (s.timer) clearTimeout(s.timer);
      await Promise.all([...state.values()].map((s) => s.running?.catch(() => undefined)));
    },
  };
}
