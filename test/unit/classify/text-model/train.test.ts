import { describe, expect, it } from 'vitest';
import { evaluate, loadModel, stratifiedSplit, trainModel, type ModelArtifact } from '../../../../shared/classify/text-model';
import { chooseThreshold, fitTemperature } from '../../../../shared/classify/text-model/calibrate';
import { softmax } from '../../../../shared/classify/text-model/model';
import { TINY_CHECKS, TINY_TRAIN } from './tiny-data';

const AT = new Date('2026-01-01T00:00:00Z');
const options = { features: { minDf: 1 }, trainedAt: AT };
const artifact = trainModel(TINY_TRAIN, options);
const model = loadModel(artifact);

describe('trainModel on a tiny obvious dataset', () => {
  it('predicts the obvious label for new phrasings', () => {
    for (const { text, label } of TINY_CHECKS) expect(model.predict(text).label, text).toBe(label);
  });

  it('uses its weights: zeroed weights lose the distinctions', () => {
    const w = artifact.weights;
    const zeroed: ModelArtifact = { ...artifact, weights: { ...w, values: Buffer.alloc(Buffer.from(w.values, 'base64').length).toString('base64') } };
    const blind = loadModel(zeroed);
    // With only the biases left, every text gets the same label, so at least two checks fail.
    const labels = new Set(TINY_CHECKS.map((c) => blind.predict(c.text).label));
    expect(labels.size).toBe(1);
    expect(new Set(TINY_CHECKS.map((c) => model.predict(c.text).label)).size).toBe(3);
  });

  it('records provenance and settings', () => {
    expect(artifact.format).toBe('switchboard-text-model');
    expect(artifact.version).toBe(2);
    expect(artifact.labels).toEqual(['account', 'billing', 'shipping']);
    expect(artifact.trainingData.examples).toBe(18);
    expect(artifact.trainingData.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(artifact.trainedAt).toBe('2026-01-01T00:00:00.000Z');
    expect(artifact.features.minDf).toBe(1);
    expect(artifact.metrics?.source).toMatch(/hold-out/);
    expect(artifact.outOfScopeLabel).toBeNull();
  });

  it('is deterministic', () => {
    expect(JSON.stringify(trainModel(TINY_TRAIN, options))).toBe(JSON.stringify(artifact));
  });

  it('round-trips through JSON text with the same predictions', () => {
    const reloaded = loadModel(JSON.parse(JSON.stringify(artifact)));
    for (const text of [...TINY_CHECKS.map((c) => c.text), 'something else entirely']) {
      expect(reloaded.predict(text)).toEqual(model.predict(text));
    }
    expect(loadModel(JSON.stringify(artifact)).predict('reset my password')).toEqual(model.predict('reset my password'));
  });

  it('rejects a malformed or other-version artifact', () => {
    expect(() => loadModel({ format: 'x' })).toThrow(/not a switchboard-text-model/);
    expect(() => loadModel({ ...artifact, version: 99 })).toThrow(/version 99/);
    // Version 1 (no span n-grams) still loads.
    expect(loadModel({ ...artifact, version: 1 }).predict('reset my password')).toEqual(model.predict('reset my password'));
    expect(() => loadModel({ ...artifact, scales: [1] })).toThrow(/scales/);
  });

  it('gives confident in-scope answers and sends an unrelated text out of scope', () => {
    const inScope = model.predict('refund the charge on my card');
    expect(inScope).toMatchObject({ label: 'billing', outOfScope: false });
    expect(inScope.confidence).toBeGreaterThan(artifact.threshold);
    const unrelated = model.predict('what a lovely sunny afternoon at the beach');
    expect(unrelated.outOfScope).toBe(true);
    expect(unrelated.confidence).toBeLessThan(artifact.threshold);
  });

  it('supports an explicit out-of-scope label', () => {
    const oosRows = ['tell me a joke', 'what is the weather today', 'play some music', 'who won the football game', 'what time is it in tokyo', 'sing me a song'];
    const withOos = trainModel([...TINY_TRAIN, ...oosRows.map((text) => ({ text, label: 'oos' }))], options);
    expect(withOos.outOfScopeLabel).toBe('oos');
    const m = loadModel(withOos);
    expect(m.predict('tell me a funny joke')).toMatchObject({ label: 'oos', outOfScope: true });
    expect(m.predict('reset my password please')).toMatchObject({ label: 'account', outOfScope: false });
  });

  it('uses a validation set when given one, and evaluate() agrees with its metrics', () => {
    const validation = TINY_CHECKS;
    const a = trainModel(TINY_TRAIN, { ...options, validation });
    expect(a.trainingData.examples).toBe(18);
    expect(a.metrics).toMatchObject({ examples: 3, accuracy: 1, outOfScopeRecall: null });
    expect(evaluate(a, validation, a.metrics!.source)).toEqual(a.metrics);
    // A validation label the model never saw counts as out-of-scope.
    const m = evaluate(a, [{ text: 'what a lovely sunny afternoon at the beach', label: 'smalltalk' }]);
    expect(m.outOfScopeRecall).toBe(1);
  });

  it('blends in the softmax model when asked, and only then', () => {
    expect(artifact.trainer.algorithm).toBe('crammer-singer-svm');
    const blended = trainModel(TINY_TRAIN, { ...options, ensemble: {} });
    expect(blended.trainer).toMatchObject({ algorithm: 'crammer-singer-svm+softmax', softmax: { weight: 0.7 } });
    const m = loadModel(blended);
    for (const { text, label } of TINY_CHECKS) expect(m.predict(text).label, text).toBe(label);
    expect(blended.bias).not.toEqual(artifact.bias);
  });

  it('refuses data with fewer than two labels', () => {
    expect(() => trainModel([{ text: 'a', label: 'x' }])).toThrow(/two labels/);
  });
});

describe('calibration', () => {
  it('softmax with a none-logit leaves mass for "none of these"', () => {
    const p = softmax([0, 0], 1, 0);
    expect(p[0]).toBeCloseTo(1 / 3, 12);
    expect(p[1]).toBeCloseTo(1 / 3, 12);
    const plain = softmax([Math.log(3), 0], 1);
    expect(plain[0]).toBeCloseTo(0.75, 12);
    expect(plain[1]).toBeCloseTo(0.25, 12);
  });

  it('fits a small temperature to well-separated scores and a larger one to noisy scores', () => {
    const sharp = [0, 1, 0, 1].map((truth) => ({ decisions: Float64Array.from(truth ? [-1, 1] : [1, -1]), truth }));
    const noisy = [...sharp, ...[0, 1].map((truth) => ({ decisions: Float64Array.from(truth ? [1, -1] : [-1, 1]), truth }))];
    expect(fitTemperature(sharp, 0)).toBe(0.1); // the floor
    expect(fitTemperature(noisy, 0)).toBeGreaterThan(0.5);
  });

  it('puts the threshold between wrong low-confidence rows and right high-confidence rows', () => {
    // Two right answers with big margins, two wrong ones with small margins.
    const rows = [
      { decisions: Float64Array.from([2, -1]), truth: 0 },
      { decisions: Float64Array.from([-1, 2]), truth: 1 },
      { decisions: Float64Array.from([0.1, 0]), truth: 1 },
      { decisions: Float64Array.from([0, 0.1]), truth: 0 },
    ];
    const t = chooseThreshold(rows, 1, null, -1);
    const conf = (d: number[]) => Math.max(...softmax(d, 1));
    expect(t).toBeGreaterThan(conf([0.1, 0]));
    expect(t).toBeLessThanOrEqual(conf([2, -1]));
  });

  it('splits each label in proportion', () => {
    const rows = Array.from({ length: 30 }, (_, i) => ({ text: `t${i}`, label: i < 20 ? 'a' : 'b' }));
    const { kept, held } = stratifiedSplit(rows, 0.1, 1);
    expect(held.filter((r) => r.label === 'a')).toHaveLength(2);
    expect(held.filter((r) => r.label === 'b')).toHaveLength(1);
    expect(kept).toHaveLength(27);
  });
});
