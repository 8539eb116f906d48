import artifactJson from './models/sentiment-en.json';
import { labelFromProbability, type SentimentArtifact } from './sentiment-model/artifact';
import { loadSentimentModel } from './sentiment-model/model';
import { scoreLexicon, type SentimentResult } from './sentiment';

/**
 * The sentiment engine port, the built-in engine (AFINN lexicon + the model trained on uci,
 * see docs/sentiment-language.md) and the hybrid engine that asks a remote engine
 * (Comprehend) only about the texts the built-in one is unsure of.
 */

/** One text to score, with the language the caller detected (ISO 639-1, or 'und'). */
export interface SentimentInput {
  text: string;
  languageCode: string;
}

/**
 * A sentiment engine: the built-in model, Comprehend, or the hybrid of both
 * (SENTIMENT_ENGINE=builtin|comprehend|hybrid). Batched because Comprehend bills and
 * throttles per call and the classify step gets up to ten messages at a time.
 */
export interface SentimentEngine {
  /**
   * Scores every text; results are in input order, one per input. Texts in a language
   * the engine cannot judge come back neutral with confidence 0.
   *
   * @throws SwitchboardError subclasses (DependencyError when a remote engine fails).
   */
  analyzeBatch(texts: SentimentInput[]): Promise<SentimentResult[]>;
  /** Whether the engine can judge sentiment in this language (ISO 639-1). */
  supportsLanguage(languageCode: string): boolean;
}

// A static import so esbuild bundles the model; parsed and indexed once per container.
const artifact = artifactJson as SentimentArtifact;
const predictor = loadSentimentModel(artifact.model);

/** Neutral, with nothing to go on (no words, or a language the engine does not read). */
export const UNSCORED: SentimentResult = { score: 0, comparative: 0, label: 'neutral', confidence: 0 };

const LETTER = /\p{L}/u;
/** Only the start of a long email is scored: its first lines carry the complaint, and a
 * quoted thread below would only cost time (features are linear in length). */
export const MAX_SENTIMENT_CHARS = 5000;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** Provenance and CV figures of the shipped model (for logs and the bench). */
export const sentimentModelInfo = { training: artifact.training, metrics: artifact.metrics, neutralBand: artifact.neutralBand };

/**
 * Probability from the trained model that an English text is positive (0..1).
 * The binary decision (>= 0.5) is what the accuracy figures count.
 */
export function positiveProbability(text: string): number {
  return predictor.probability(text);
}

/**
 * Scores an English message with the built-in engine.
 *
 * The label comes from the model: positive or negative when its probability is at least
 * NEUTRAL_BAND away from 0.5 (NO_EVIDENCE_BAND when no lexicon word scored), neutral
 * otherwise (the model is unsure). `score` and
 * `comparative` stay the lexicon's (AFINN scale, which urgency weighs), set to 0 when
 * the lexicon's sign contradicts the model's label, so a positive message never carries
 * a "negative sentiment" urgency reason. `confidence` is the probability of the
 * binary decision (0.5..1).
 *
 * @param text - message text, English (callers keep other languages away).
 * @returns a SentimentResult with confidence. Deterministic.
 */
export function analyzeBuiltinSentiment(fullText: string): SentimentResult {
  const text = fullText.slice(0, MAX_SENTIMENT_CHARS);
  if (!LETTER.test(text)) return UNSCORED;
  const lexicon = scoreLexicon(text);
  const p = predictor.probability(text);
  const label = labelFromProbability(p, lexicon.positiveWords + lexicon.negativeWords, artifact.neutralBand);
  const contradicts = (label === 'positive' && lexicon.score < 0) || (label === 'negative' && lexicon.score > 0);
  return {
    score: contradicts ? 0 : lexicon.score,
    comparative: contradicts ? 0 : lexicon.comparative,
    label,
    confidence: round3(Math.max(p, 1 - p)),
  };
}

/** True when the built-in engine was unsure (it says neutral only then), so worth a second opinion. */
export function isUnsure(result: SentimentResult): boolean {
  return result.label === 'neutral';
}

/** The built-in engine as a SentimentEngine: English only, no I/O. */
export const builtinSentimentEngine: SentimentEngine = {
  supportsLanguage: (code) => code === 'en',
  async analyzeBatch(texts: SentimentInput[]) {
    return texts.map((t) => (t.languageCode === 'en' ? analyzeBuiltinSentiment(t.text) : UNSCORED));
  },
};

/**
 * The hybrid engine: the built-in engine first; the texts it is unsure of (the neutral
 * band) and the texts in languages it does not read but the remote engine does go to the
 * remote engine in one batch. Texts with no letters are never sent.
 *
 * @param remote - e.g. the Comprehend adapter.
 * @param builtin - the first engine; defaults to the built-in one.
 * @returns a SentimentEngine; its errors are the remote engine's (typed).
 */
export function createHybridSentimentEngine(remote: SentimentEngine, builtin: SentimentEngine = builtinSentimentEngine): SentimentEngine {
  return {
    supportsLanguage: (code) => builtin.supportsLanguage(code) || remote.supportsLanguage(code),
    async analyzeBatch(texts: SentimentInput[]) {
      const results = await builtin.analyzeBatch(texts);
      const ask: number[] = [];
      texts.forEach((t, i) => {
        const r = results[i];
        if (!r || !LETTER.test(t.text) || !remote.supportsLanguage(t.languageCode)) return;
        const notRead = !builtin.supportsLanguage(t.languageCode);
        if (notRead || isUnsure(r)) ask.push(i);
      });
      if (ask.length === 0) return results;
      const answers = await remote.analyzeBatch(ask.map((i) => texts[i] as SentimentInput));
      ask.forEach((i, k) => {
        const a = answers[k];
        if (a) results[i] = a;
      });
      return results;
    },
  };
}
