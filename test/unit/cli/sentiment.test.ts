import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../fixtures/cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-sentiment-'));
  writeFileSync(
    join(dir, 'reviews.csv'),
    'review,stars\n"Absolutely love it, works great and the battery lasts for days!",5\n"Terrible, it broke after one day. Waste of money.",1\n"Worst service ever, I am very disappointed",1\n',
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('switchboard sentiment', () => {
  it('labels each row in order with the built-in engine, and 1/0 with --binary', async () => {
    const r = await runCli(['sentiment', '--input', join(dir, 'reviews.csv'), '--text-column', 'review']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('label,confidence');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['positive', 'negative', 'negative']);
    for (const l of lines.slice(1)) expect(Number(l.split(',')[1])).toBeGreaterThan(0.5);
    const binary = await runCli(['sentiment', '--input', join(dir, 'reviews.csv'), '--text-column', 'review', '--binary']);
    expect(binary.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0])).toEqual(['1', '0', '0']);
  });

  it('answers a missing column with exit 1 and bad options with exit 2', async () => {
    const missing = await runCli(['sentiment', '--input', join(dir, 'reviews.csv'), '--text-column', 'text']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/has no column "text"; its columns are: review, stars/);
    expect((await runCli(['sentiment', '--input', join(dir, 'reviews.csv')])).code).toBe(2);
  });
});
