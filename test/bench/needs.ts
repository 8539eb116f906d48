import { readFileSync } from 'node:fs';
import { stemmer } from 'stemmer';
import { analyseNeeds, type NeedMessage } from '../../shared/analytics/needs/analyse';
import { normalizedMutualInformation, npmiCoherence, purity } from '../../shared/analytics/needs/evaluate';
import { fitLda } from '../../shared/analytics/needs/lda';
import { seededRandom } from '../../shared/lib/random';
import { SUPPORT_STOP_WORDS } from '../../shared/analytics/needs/stop-words';
import { termsOf } from '../../shared/analytics/needs/tokenize';
import { parseCsv, requireColumns } from '../../shared/lib/csv';
import { datasetPath } from '../fixtures/datasets';

/**
 * Need analysis on Bitext customer support (train.csv: instruction, category; 3,612 rows):
 * are the top terms per category recognisable (does the category's own name word appear among
 * its 5 most distinctive terms), and do LDA topics recover the 11 categories (purity, NMI over
 * 5 seeds, NPMI coherence against random word sets)? Timing on Bitext and on BANKING77's
 * 10,003 texts (the "~10k messages of a period" case).
 *
 * `node --import tsx test/bench/run-one.ts needs`
 */

const OPTIONS = { extraStopWords: SUPPORT_STOP_WORDS };
const SEEDS = [1, 2, 3, 4, 5];
const ITERATIONS = 200;

function load(dataset: string, textColumn: string, labelColumn: string): NeedMessage[] {
  const rows = parseCsv(readFileSync(datasetPath(dataset, 'train.csv'), 'utf8'), dataset);
  requireColumns(rows, [textColumn, labelColumn], dataset);
  return rows.map((r) => ({ text: r[textColumn] ?? '', category: r[labelColumn] ?? '', channel: 'all' }));
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)));
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

export async function bench(log: (line: string) => void): Promise<Record<string, unknown>> {
  const bitext = load('bitext_customer_support', 'instruction', 'category');

  // 1. Top terms per category, and whether the category's own name word ranks in its top 5.
  const t0 = performance.now();
  const analysis = analyseNeeds(bitext, { ...OPTIONS, topTerms: 8, lda: { k: 11, iterations: ITERATIONS, seed: 1 } });
  const analyseMs = performance.now() - t0;
  let named = 0;
  log('Top distinctive terms (log-odds vs other categories), Bitext train:');
  for (const g of analysis.groups) {
    const nameStems = g.category.toLowerCase().split('_').map((w) => stemmer(w));
    const top5 = g.distinctive.slice(0, 5).map((t) => t.term);
    const hit = nameStems.some((s) => top5.includes(s));
    if (hit) named++;
    log(`  ${g.category.padEnd(17)} ${hit ? '✓' : ' '} ${g.distinctive.map((t) => t.label).join(', ')}`);
  }
  log(`Category name word among its top 5 distinctive terms: ${named}/${analysis.groups.length}`);

  // 2. LDA topics against categories, over seeds.
  const docs = bitext.map((m) => termsOf(m.text, OPTIONS));
  const labels = bitext.map((m) => m.category);
  const purities: number[] = [];
  const nmis: number[] = [];
  const npmis: number[] = [];
  const ldaMs: number[] = [];
  let vocabulary: string[] = [];
  for (const seed of SEEDS) {
    const start = performance.now();
    const model = fitLda(docs, { k: 11, iterations: ITERATIONS, seed });
    ldaMs.push(performance.now() - start);
    vocabulary = model.vocabulary;
    purities.push(purity(model.docTopic, labels));
    nmis.push(normalizedMutualInformation(model.docTopic, labels));
    npmis.push(mean(model.topics.map((t) => npmiCoherence(t.words.map((w) => w.term), docs))));
  }
  // Baselines: one cluster for everything (purity = majority share), and random 10-word "topics".
  const majority = Math.max(...[...new Set(labels)].map((l) => labels.filter((x) => x === l).length)) / labels.length;
  const random = seededRandom(99);
  const randomNpmi = mean(
    Array.from({ length: 20 }, () => npmiCoherence(Array.from({ length: 10 }, () => vocabulary[Math.floor(random() * vocabulary.length)] as string), docs)),
  );
  log(`LDA k=11, ${ITERATIONS} sweeps, seeds ${SEEDS.join(',')}:`);
  log(`  purity ${r3(mean(purities))} ± ${r3(sd(purities))}   (one cluster: ${r3(majority)})`);
  log(`  NMI    ${r3(mean(nmis))} ± ${r3(sd(nmis))}`);
  log(`  NPMI   ${r3(mean(npmis))} ± ${r3(sd(npmis))}   (random 10-word sets: ${r3(randomNpmi)})`);
  log('  topics (seed 1):');
  for (const t of analysis.topics) log(`    ${(t.share * 100).toFixed(0).padStart(3)}%  ${t.words.slice(0, 8).map((w) => w.label).join(' ')}`);

  // 3. Timing at ~10k messages: BANKING77 train (10,003 texts), whole analysis, k = 10.
  const banking = load('banking77', 'text', 'category');
  const t1 = performance.now();
  const bankingAnalysis = analyseNeeds(banking, { ...OPTIONS, lda: { k: 10, iterations: ITERATIONS, seed: 1 } });
  const bankingMs = performance.now() - t1;
  log(`Timing: Bitext ${bitext.length} msgs ${analyseMs.toFixed(0)} ms (analysis incl. LDA); LDA alone ${mean(ldaMs).toFixed(0)} ms`);
  log(`        BANKING77 ${banking.length} msgs, ${bankingAnalysis.groups.length} groups, k=10: ${bankingMs.toFixed(0)} ms`);

  return {
    bitextMessages: bitext.length,
    categoryNameInTop5Distinctive: `${named}/${analysis.groups.length}`,
    lda: {
      k: 11,
      iterations: ITERATIONS,
      seeds: SEEDS,
      purityMean: r3(mean(purities)),
      puritySd: r3(sd(purities)),
      purityOneCluster: r3(majority),
      nmiMean: r3(mean(nmis)),
      nmiSd: r3(sd(nmis)),
      npmiMean: r3(mean(npmis)),
      npmiRandomWordSets: r3(randomNpmi),
    },
    timingMs: {
      bitextAnalysis: Math.round(analyseMs),
      bitextLdaMean: Math.round(mean(ldaMs)),
      banking77Analysis: Math.round(bankingMs),
    },
    banking77Messages: banking.length,
  };
}
