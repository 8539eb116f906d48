import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../fixtures/cli';
import { csvLine } from '../../../shared/lib/csv';
import { TINY_CHECKS, TINY_TRAIN } from '../classify/text-model/tiny-data';

let dir: string;
const file = (name: string) => join(dir, name);

const run = runCli;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sb-train-'));
  const rows = TINY_TRAIN.flatMap((e) => [e, e]); // twice, so min df 2 keeps the words
  writeFileSync(file('train.csv'), ['message,team', ...rows.map((e) => csvLine([e.text, e.label]))].join('\n'));
  // Commas and quotes in the text, to check CSV quoting of the input.
  const inputs = [...TINY_CHECKS.map((c) => c.text), 'what a lovely, "sunny" afternoon at the beach'];
  writeFileSync(file('input.csv'), ['id,message', ...inputs.map((t, i) => csvLine([i, t]))].join('\n'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('switchboard train / classify', () => {
  it('trains a model file and prints the validation metrics', async () => {
    // --svm-only: the reject test below needs the SVM's stronger rejection of unrelated text.
    const r = await run(['train', '--input', file('train.csv'), '--text-column', 'message', '--label-column', 'team', '--out', file('model.json'), '--svm-only']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Validation metrics \(stratified hold-out/);
    expect(r.stdout).toMatch(/accuracy \(top label\)/);
    expect(r.stderr).toMatch(/refitting on all 36 examples/);
    const artifact = JSON.parse(readFileSync(file('model.json'), 'utf8'));
    expect(artifact.labels).toEqual(['account', 'billing', 'shipping']);
    expect(artifact.trainingData.examples).toBe(36);
  });

  it('blends in the softmax model by default, and not with --svm-only', async () => {
    const r = await run(['train', '--input', file('train.csv'), '--text-column', 'message', '--label-column', 'team', '--out', file('ensemble.json')]);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(file('ensemble.json'), 'utf8')).trainer.algorithm).toBe('crammer-singer-svm+softmax');
    expect(JSON.parse(readFileSync(file('model.json'), 'utf8')).trainer.algorithm).not.toContain('softmax');
  });

  it('classifies in input order with a label,confidence header and nothing else on stdout', async () => {
    const r = await run(['classify', '--model', file('model.json'), '--input', file('input.csv'), '--text-column', 'message']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('label,confidence');
    expect(lines).toHaveLength(5);
    expect(lines.slice(1, 4).map((l) => l.split(',')[0])).toEqual(TINY_CHECKS.map((c) => c.label));
    for (const l of lines.slice(1)) expect(Number(l.split(',')[1])).toBeGreaterThanOrEqual(0);
  });

  it('gives the reject label to low-confidence rows', async () => {
    const r = await run(['classify', '--model', file('model.json'), '--input', file('input.csv'), '--text-column', 'message', '--reject-label', 'HUMAN']);
    const labels = r.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(',')[0]);
    expect(labels).toEqual([...TINY_CHECKS.map((c) => c.label), 'HUMAN']);
  });

  it('trains with a validation file', async () => {
    writeFileSync(file('val.csv'), ['message,team', ...TINY_CHECKS.map((c) => csvLine([c.text, c.label]))].join('\n'));
    const r = await run(['train', '--input', file('train.csv'), '--text-column', 'message', '--label-column', 'team', '--out', file('m2.json'), '--validation', file('val.csv')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Validation metrics \(validation set \(3 rows\)\)/);
    expect(r.stdout).toMatch(/accuracy \(top label\)\s+100\.00 %/);
  });

  it('answers bad options with exit 2 and the usage', async () => {
    const missing = await run(['classify', '--model', file('model.json'), '--input', file('input.csv')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--text-column is required[\s\S]*Usage: switchboard classify/);
    expect((await run(['train', '--input', file('train.csv'), '--bogus'])).code).toBe(2);
    expect(missing.stdout).toBe('');
  });

  it('answers a missing file or column with exit 1 and a message', async () => {
    const noFile = await run(['classify', '--model', file('model.json'), '--input', file('nope.csv'), '--text-column', 'message']);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toMatch(/nope\.csv/);
    const noColumn = await run(['classify', '--model', file('model.json'), '--input', file('input.csv'), '--text-column', 'body']);
    expect(noColumn.code).toBe(1);
    expect(noColumn.stderr).toMatch(/no column "body"/);
    const noLabel = await run(['train', '--input', file('train.csv'), '--text-column', 'message', '--label-column', 'x', '--out', file('m3.json')]);
    expect(noLabel.code).toBe(1);
    const notModel = await run(['classify', '--model', file('input.csv'), '--input', file('input.csv'), '--text-column', 'message']);
    expect(notModel.code).toBe(1);
    expect(notModel.stderr).toMatch(/not a usable model/);
    expect(noFile.stdout + noColumn.stdout + notModel.stdout).toBe('');
  });
});
