import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../fixtures/cli';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'sb-forecast-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Four weeks from Monday 2024-01-01, two channels per date (summed by the CLI). */
function longCsv(days = 28): string {
  const lines = ['date,channel,count'];
  for (let i = 0; i < days; i++) {
    const d = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    const weekend = i % 7 >= 5;
    lines.push(`${d},phone,${weekend ? 30 : 100}`, `${d},email,${weekend ? 10 : 20}`);
  }
  return lines.join('\n') + '\n';
}

const run = (args: string[]) => runCli(['forecast', ...args]);

describe('switchboard forecast', () => {
  it('writes the header and one row per day after the last input date, channels summed', async () => {
    const { code, stdout, stderr } = await run(['--input', file('long.csv', longCsv()), '--horizon', '14']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('date,forecast,lower,upper');
    expect(lines).toHaveLength(15);
    expect(lines[1]!.startsWith('2024-01-29,')).toBe(true);
    expect(lines[14]!.startsWith('2024-02-11,')).toBe(true);
    const [, forecast, lower, upper] = lines[1]!.split(',').map(Number);
    expect(forecast).toBeCloseTo(120, -1); // Monday: 100 + 20
    expect(lower).toBeLessThanOrEqual(forecast!);
    expect(upper).toBeGreaterThanOrEqual(forecast!);
  });

  it('takes other column names, holidays and missing dates', async () => {
    const text = longCsv().replace('date,channel,count', 'day,channel,calls').split('\n').filter((l) => !l.startsWith('2024-01-10')).join('\n');
    const { code, stdout } = await run(['--input', file('named.csv', text), '--horizon', '3', '--date-column', 'day', '--value-column', 'calls', '--country', 'CA', '--region', 'BC']);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(4);
  });

  it('answers bad options with exit 2 and the usage', async () => {
    for (const args of [[], ['--input', 'x.csv', '--horizon', '0'], ['--input', 'x.csv', '--bogus'], ['--input', 'x.csv', '--region', 'BC'], ['--input', 'x.csv', '--country', 'XX']]) {
      const { code, stdout, stderr } = await run(args);
      expect(code, args.join(' ')).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain('Usage: switchboard forecast');
    }
  });

  it('answers unusable input with exit 1 and a message, nothing on stdout', async () => {
    const cases: Array<[string, RegExp]> = [
      [join(dir, 'missing.csv'), /cannot read .*missing\.csv: no such file/],
      [file('nocol.csv', 'date,value\n2024-01-01,3\n'), /no column "count"/],
      [file('baddate.csv', 'date,count\n2024-01-01,3\n01/02/2024,4\n'), /line 3: "01\/02\/2024" .* not a YYYY-MM-DD date/],
      [file('badvalue.csv', 'date,count\n2024-01-01,three\n'), /line 2: "three" .* not a non-negative number/],
      [file('short.csv', longCsv(10)), /at least 14/],
    ];
    for (const [input, message] of cases) {
      const { code, stdout, stderr } = await run(['--input', input]);
      expect(code, input).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
    }
  });
});
