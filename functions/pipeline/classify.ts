import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import {
  classifyText,
  detectMessageLanguage,
  sentimentInputFor,
  type ClassifyInput,
} from '../../shared/classify/classify-message';
import { useModels } from '../../shared/classify/intent';
import type { SentimentResult } from '../../shared/classify/sentiment';
import {
  builtinSentimentEngine,
  createHybridSentimentEngine,
  type SentimentEngine,
  type SentimentInput,
} from '../../shared/classify/sentiment-engine';
import { inboundMessageSchema, type ClassifiedMessage, type InboundMessage } from '../../shared/domain/message';
import { readConfig } from '../lib/config';
import { logger } from '../lib/logger';
import { comprehendSentiment, crmStreamImages, modelStore, queue } from '../lib/services';
import { parseStreamImage, sequenceNumberOf, streamBatchFailures } from '../lib/stream';

const config = readConfig({
  /** builtin (default, no network), comprehend (every message), hybrid (Comprehend only when the built-in engine is unsure). */
  SENTIMENT_ENGINE: z.enum(['builtin', 'comprehend', 'hybrid']).default('builtin'),
  /** The models bucket (envVar.bucket('models')): promoted support models. Unset: the shipped ones. */
  MODELS_BUCKET: z.string().min(1).optional(),
});

/**
 * Cold start: the promoted support models if the retrain job promoted any, else the
 * shipped ones. A failed read must not stop classification: the shipped pair stands in
 * and the failure is logged (the next cold start tries again).
 */
async function loadSupportModels(bucket: string | undefined): Promise<void> {
  if (!bucket) return;
  try {
    const [store, { readPromotedModels }] = await Promise.all([modelStore(), import('../../shared/classify/promoted-models')]);
    const promoted = await readPromotedModels(store);
    useModels(promoted?.models);
    if (promoted) logger.info('using the promoted support models', { version: promoted.record.version, trainedAt: promoted.record.trainedAt });
    else logger.info('no promoted support models; using the shipped ones');
  } catch (err) {
    useModels(undefined);
    logger.warn('could not read the promoted support models; using the shipped ones', { bucket, error: err as Error });
  }
}

/** The SDK client is only loaded when configured: the default engine makes no AWS call. */
async function sentimentEngine(kind: typeof config.SENTIMENT_ENGINE): Promise<SentimentEngine> {
  if (kind === 'builtin') return builtinSentimentEngine;
  const comprehend = await comprehendSentiment();
  return kind === 'hybrid' ? createHybridSentimentEngine(comprehend) : comprehend;
}

const engine = await sentimentEngine(config.SENTIMENT_ENGINE);
await loadSupportModels(config.MODELS_BUCKET);
const routing = queue('routing');
const { inboundMessageOfImage } = await crmStreamImages();

/**
 * Scores the batch with the configured engine. If a remote engine fails (throttled,
 * down), the built-in engine answers instead: sentiment only tunes priority, and holding
 * every message back until Comprehend recovers would be worse than a built-in label.
 */
async function scoreSentiment(inputs: SentimentInput[]): Promise<SentimentResult[]> {
  try {
    return await engine.analyzeBatch(inputs);
  } catch (err) {
    logger.warn('sentiment engine failed; using the built-in engine', { engine: config.SENTIMENT_ENGINE, error: err as Error });
    return builtinSentimentEngine.analyzeBatch(inputs);
  }
}

/**
 * Classifies the inbound messages the crm table's stream delivers (the topology's filter passes
 * only messages still waiting to be routed) and forwards them to routing with one
 * SendMessageBatch per ten records. Sentiment is scored for the whole batch in one engine call
 * (one Comprehend call in comprehend/hybrid mode). Classification is deterministic for the
 * built-in engine, so a redelivered record just produces the same output; the route step is
 * idempotent. Failed records are reported by sequence number: Lambda retries the shard from the
 * lowest one, then records the batch on the on-failure queue, and the sweeper touches the message again.
 */
export const handler = async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  const failed: DynamoDBRecord[] = [];
  const parsed: Array<{ record: DynamoDBRecord; message: InboundMessage; input: ClassifyInput; sentiment: SentimentInput }> = [];
  for (const record of event.Records) {
    try {
      const message = parseStreamImage(record, inboundMessageOfImage, inboundMessageSchema);
      const input: ClassifyInput = { text: message.text, ...(message.subject ? { subject: message.subject } : {}) };
      parsed.push({ record, message, input, sentiment: sentimentInputFor(input, detectMessageLanguage(input)) });
    } catch (err) {
      // Not reported as failed: a record that can never parse would block the shard until it
      // expires. The message stays `received`; the sweeper's list, then the operator's, holds it.
      logger.error('unreadable stream record skipped', { sequenceNumber: sequenceNumberOf(record), keys: record.dynamodb?.Keys, error: err as Error });
    }
  }
  const sentiments = await scoreSentiment(parsed.map((p) => p.sentiment));
  const outputs: Array<{ record: DynamoDBRecord; body: ClassifiedMessage }> = [];
  parsed.forEach((p, i) => {
    try {
      outputs.push({ record: p.record, body: { message: p.message, classification: classifyText(p.input, sentiments[i]) } });
    } catch (err) {
      logger.error('classification failed', { messageId: p.message.messageId, error: err as Error });
      failed.push(p.record);
    }
  });
  const sendFailures = await routing.sendBatch(outputs.map((o) => o.body));
  for (const i of sendFailures) if (outputs[i]) failed.push(outputs[i].record);
  if (sendFailures.length) logger.warn('routing queue refused messages', { count: sendFailures.length });
  return streamBatchFailures(failed);
};
