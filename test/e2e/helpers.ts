import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface RunningStack {
  child: ChildProcess;
  apiUrl: string;
  adminKey: string;
  smtpPort: number;
  /** The local SES v2 (sent mail: GET /store) and SMS emulator (sent texts: GET /messages; POST /inbound). */
  sesUrl: string;
  smsUrl: string;
  output: () => string;
  stop: () => Promise<number | null>;
}

/** Starts `switchboard start` as a user would and waits for its banner. */
export async function startStackProcess(args: string[] = ['--memory', '--port', '0', '--smtp-port', '0'], timeoutMs = 60_000): Promise<RunningStack> {
  const child = spawn(process.execPath, ['bin/switchboard.mjs', 'start', ...args], {
    cwd: process.cwd(),
    env: { ...process.env, POWERTOOLS_LOG_LEVEL: 'WARN' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + timeoutMs;
  while (!out.includes('Switchboard is ready')) {
    if (child.exitCode !== null) throw new Error(`switchboard start exited with ${child.exitCode}:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`switchboard start was not ready in ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const apiUrl = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
  const adminKey = /(sbk_[A-Za-z0-9_-]{43})/.exec(out)?.[1];
  const smtpPort = Number(/SMTP \(SES\)\s+[\d.]+:(\d+)/.exec(out)?.[1]);
  const sesUrl = /Sent mail \(SES\)\s+(http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
  const smsUrl = /SMS\s+(http:\/\/[\d.]+:\d+)/.exec(out)?.[1];
  if (!apiUrl || !adminKey || !smtpPort || !sesUrl || !smsUrl) throw new Error(`banner lacks the API URL, admin key, SMTP port or outbound emulators:\n${out}`);
  return {
    child,
    apiUrl,
    adminKey,
    smtpPort,
    sesUrl,
    smsUrl,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const [code] = (await once(child, 'exit')) as [number | null];
      return code;
    },
  };
}

export { eventually } from '../fixtures/eventually';
