/**
 * How much CPU other processes took while the bench ran (Linux /proc; elsewhere NaN): the
 * machine's busy time minus this process's and its children's (the DynamoDB Local JVM).
 * The load average lags by a minute and counts the bench itself; this does neither, so a run
 * disturbed by someone else's job shows as such.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function machineBusyTicks(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal ...
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return user + nice + system + irq + softirq + steal;
}

function processTicks(pid: number | 'self'): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime
  } catch {
    return 0; // gone
  }
}

function childPids(): number[] {
  const me = process.pid;
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === me) out.push(Number(name));
    } catch {
      // raced with an exit
    }
  }
  return out;
}

export interface OthersCpu {
  /** Cores that other processes used on average since the last call (or since start). */
  sample(): number;
  /** Cores other processes used on average since start. */
  total(): number;
  /** Cores this process (the stack and the load generator) and its children (DynamoDB Local) used on average since start. */
  ours(): { node: number; children: number };
}

/** Starts measuring; NaN where /proc is not available. */
export function othersCpu(): OthersCpu {
  let children: number[];
  try {
    children = childPids();
  } catch {
    return { sample: () => NaN, total: () => NaN, ours: () => ({ node: NaN, children: NaN }) };
  }
  const read = () => {
    const self = processTicks('self');
    const kids = children.reduce((a, pid) => a + processTicks(pid), 0);
    return { at: performance.now(), others: machineBusyTicks() - self - kids, self, kids };
  };
  const start = read();
  let last = start;
  type Reading = ReturnType<typeof read>;
  const per = (ticks: number, from: Reading, to: Reading) => Math.max(0, ticks / TICKS_PER_SECOND / ((to.at - from.at) / 1000));
  const cores = (from: Reading, to: Reading) => per(to.others - from.others, from, to);
  return {
    sample() {
      const now = read();
      const c = cores(last, now);
      last = now;
      return c;
    },
    total: () => cores(start, read()),
    ours: () => {
      const now = read();
      return { node: per(now.self - start.self, start, now), children: per(now.kids - start.kids, start, now) };
    },
  };
}
