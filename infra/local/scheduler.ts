/**
 * Runs the topology's schedules in this process, standing in for EventBridge:
 * each job every `rate(...)`, never two runs of the same job at once.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
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
  readonly jobs: ReadonlyArray<{ name: string; expression: string; intervalMs: number }>;
  /** Runs a job now (after its current run, if any) and resolves with the handler's result; rejects with its error. */
  runNow(name: string): Promise<unknown>;
  /** Stops the timers and waits for runs in flight. */
  stop(): Promise<void>;
}

/**
 * Starts a timer per job. The first run comes one interval after start, as
 * with a new EventBridge schedule. A tick that finds the job still running is
 * skipped; a failed run is logged and the schedule goes on.
 */
export function startScheduler(
  jobs: readonly ScheduledJob[],
  opts: { log?: (line: string) => void; logError?: (message: string, err: unknown) => void; autoStart?: boolean } = {},
): Scheduler {
  const log = opts.log ?? (() => undefined);
  const logError = opts.logError ?? ((message: string, err: unknown) => console.error(message, err));
  const state = new Map(
    jobs.map((job) => [job.name, { job, intervalMs: parseRate(job.expression), running: undefined as Promise<unknown> | undefined }]),
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

  const timers = [...state.values()].map((s) =>
    opts.autoStart === false
      ? undefined
      : setInterval(() => {
          if (stopped) return;
          if (s.running) return log(`schedule ${s.job.name}: previous run still going, tick skipped`);
          run(s.job.name).then(
            () => log(`schedule ${s.job.name}: ran`),
            (err: unknown) => logError(`schedule ${s.job.name} failed`, err),
          );
        }, s.intervalMs),
  );

  return {
    jobs: [...state.values()].map((s) => ({ name: s.job.name, expression: s.job.expression, intervalMs: s.intervalMs })),
    runNow: async (name) => {
      if (!state.has(name)) throw new Error(`No schedule named "${name}" (have: ${[...state.keys()].join(', ') || 'none'})`);
      if (stopped) throw new Error('The scheduler is stopped');
      return run(name);
    },
    stop: async () => {
      stopped = true;
      for (const t of timers) if (t) clearInterval(t);
      await Promise.all([...state.values()].map((s) => s.running?.catch(() => undefined)));
    },
  };
}
