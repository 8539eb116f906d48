import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../fixtures/cli';
import { formatDay, parseDay, type OrderLine } from '../../../../shared/analytics/customers/order-lines';
import { line, toCsv } from './fixtures';

let dir: string;
let file: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'demand-cli-'));
  const lines: OrderLine[] = [];
  // Two weekly shoppers from January, one occasional one, and one who first buys after the as-of day.
  for (let d = parseDay('2011-01-03')!; d <= parseDay('2011-09-26')!; d += 7) {
    lines.push(line('12346', formatDay(d), 2, 5), line('12350', formatDay(d), 1, 30.5));
  }
  lines.push(line('12999', '2011-02-01', 3, 10), line('12999', '2011-06-01', 1, 10));
  lines.push(line('99999', '2011-08-15', 10, 10));
  file = join(dir, 'lines.csv');
  writeFileSync(file, toCsv(lines));
  writeFileSync(join(dir, 'no-price.csv'), toCsv(lines).replace('UnitPrice', 'Price'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const run = (args: string[]) => runCli(['demand', ...args]);

describe('switchboard demand', () => {
  it('writes one row per customer seen by the as-of day, two decimals, nothing else on stdout', async () => {
    const { code, stdout, stderr } = await run(['--transactions', file, '--as-of', '2011-08-01', '--horizon-days', '28']);
    expect(code).toBe(0);
    const rows = stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('customer_id,predicted_spend');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['12346', '12350', '12999']);
    for (const r of rows.slice(1)) expect(r).toMatch(/^\d+,\d+\.\d{2}$/);
    // Steady shoppers: 4 Mondays in the 28 days → about 40 and 122.
    const spend = Object.fromEntries(rows.slice(1).map((r) => r.split(',')).map(([id, v]) => [id, Number(v)]));
    expect(spend['12346']).toBeGreaterThan(38);
    expect(spend['12346']).toBeLessThan(42);
    expect(spend['12350']).toBeGreaterThan(118);
    expect(spend['12350']).toBeLessThan(126);
    expect(stderr).toMatch(/model +MSE/);
    expect(stderr).toMatch(/naive +MSE/);
  });

  it('answers bad options with exit 2', async () => {
    expect((await run(['--as-of', '2011-08-01'])).code).toBe(2);
    expect((await run(['--transactions', file])).code).toBe(2);
    expect((await run(['--transactions', file, '--as-of', '2011-08-01', '--horizon-days', 'ten'])).code).toBe(2);
    expect((await run(['--transactions', file, '--as-of', '2011-08-01', '--horizon-days', '0'])).code).toBe(2);
    expect((await run(['--transactions', file, '--as-of', '2011-08-01', '--bogus'])).code).toBe(2);
  });

  it('answers unusable input with exit 1 and a clear message', async () => {
    const missing = await run(['--transactions', join(dir, 'nope.csv'), '--as-of', '2011-08-01']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read .*nope\.csv/);
    const column = await run(['--transactions', join(dir, 'no-price.csv'), '--as-of', '2011-08-01']);
    expect(column.code).toBe(1);
    expect(column.stderr).toMatch(/no column "UnitPrice"/);
    const date = await run(['--transactions', file, '--as-of', '2011-02-30']);
    expect(date.code).toBe(1);
    expect(date.stderr).toMatch(/--as-of must be a calendar date YYYY-MM-DD, got "2011-02-30"/);
    for (const r of [missing, column, date]) expect(r.stdout).toBe('');
  });
});
