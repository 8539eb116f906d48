import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { eventually, startStackProcess } from './helpers';

/** Every process whose parent chain leads to `root` (read from /proc). */
function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Field 4 of /proc/<pid>/stat is the ppid; the command name (field 2) may hold spaces.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(entry), ppid);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, p] of parent) if (p === pid) (found.push(child), walk(child));
  };
  walk(root);
  return found;
}

/** Start time (field 22 of /proc/<pid>/stat) and state, so a reused pid or a zombie is not taken for our process. */
function procInfo(pid: number): { start: string; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, start: fields[19]! };
  } catch {
    return undefined;
  }
}

/** Still running: same process (same start time) and not a zombie. */
const aliveAsRecorded = (pid: number, start: string | undefined) => {
  const now = procInfo(pid);
  return now !== undefined && now.start === start && now.state !== 'Z';
};

describe('switchboard start as a process', () => {
  it('stops every process it started, the DynamoDB Local JVM included, on SIGTERM', async () => {
    const stack = await startStackProcess();
    const children = descendants(stack.child.pid!);
    const javas = children.filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal');
      } catch {
        return false;
      }
    });
    expect(javas.length).toBe(1);
    expect((await fetch(`${stack.apiUrl}/nowhere`)).status).toBe(404);
    const starts = new Map(children.map((pid) => [pid, procInfo(pid)?.start]));
    expect(await stack.stop()).toBe(0);
    const survivors = () => children.filter((pid) => aliveAsRecorded(pid, starts.get(pid)));
    await eventually(async () => (survivors().length === 0 ? true : undefined), 10_000, 'children to exit');
    expect(survivors()).toEqual([]);
  });

  it('stops everything when `npm start` itself gets SIGTERM (npm passes it to its shell only)', async () => {
    const npm = spawn('npm', ['start', '--', '--memory', '--port', '0', '--smtp-port', '0'], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' } });
    let out = '';
    npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    npm.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await eventually(async () => (out.includes('Switchboard is ready') ? true : undefined), 60_000, `npm start to be ready:\n${out}`);
    const children = descendants(npm.pid!);
    const starts = new Map(children.map((pid) => [pid, procInfo(pid)?.start]));
    expect(children.some((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('DynamoDBLocal'))).toBe(true);
    npm.kill('SIGTERM');
    const survivors = () => children.filter((pid) => aliveAsRecorded(pid, starts.get(pid)));
    try {
      await eventually(async () => (survivors().length === 0 ? true : undefined), 20_000, `children of npm to exit:\n${out}`);
    } finally {
      // A failure must not leave the stack (and its JVM) running behind the test run.
      for (const pid of survivors()) process.kill(pid, 'SIGKILL');
    }
    expect(survivors()).toEqual([]);
  });

  it('keeps data and the admin key in the data folder across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'switchboard-e2e-'));
    try {
      const first = await startStackProcess(['--data-dir', dataDir, '--port', '0', '--smtp-port', '0']);
      const sessionId = `persist_${Date.now()}_abcdefgh`;
      const posted = await fetch(`${first.apiUrl}/v1/channels/chat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sessionId, text: 'still here after a restart?' }),
      });
      expect(posted.status).toBe(202);
      // A thread lists routed messages: wait until this one is, then stop.
      const threadUrl = (apiUrl: string) => `${apiUrl}/v1/channels/chat/sessions/${sessionId}/messages`;
      for (let i = 0; i < 100; i++) {
        const shown = (await (await fetch(threadUrl(first.apiUrl))).json()) as { messages: unknown[] };
        if (shown.messages.length) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await first.stop()).toBe(0);

      const second = await startStackProcess(['--data-dir', dataDir, '--port', '0', '--smtp-port', '0']);
      try {
        expect(second.adminKey).toBe(first.adminKey);
        expect(readFileSync(join(dataDir, 'admin-api-key'), 'utf8').trim()).toBe(first.adminKey);
        const thread = await fetch(`${second.apiUrl}/v1/channels/chat/sessions/${sessionId}/messages`);
        const body = (await thread.json()) as { messages: Array<{ text: string }> };
        expect(body.messages.map((m) => m.text)).toEqual(['still here after a restart?']);
        const keys = await fetch(`${second.apiUrl}/v1/api-keys`, { headers: { authorization: `Bearer ${second.adminKey}` } });
        expect(keys.status).toBe(200);
      } finally {
        expect(await second.stop()).toBe(0);
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
