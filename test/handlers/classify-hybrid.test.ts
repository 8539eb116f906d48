import 'aws-sdk-client-mock-vitest/extend';
import { BatchDetectSentimentCommand, ComprehendClient, TooManyRequestsException } from '@aws-sdk/client-comprehend';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { classifiedMessageSchema, type InboundMessage } from '../../shared/domain/message';
import { handlerEnv } from '../fixtures/api-event';
import { streamEvent } from '../fixtures/stream-event';
import { inboundMessage } from '../fixtures/inbound-message';

const sqs = mockClient(SQSClient);
const comprehend = mockClient(ComprehendClient);
let handler: (e: unknown) => Promise<{ batchItemFailures: Array<{ itemIdentifier: string }> }>;
const saved = process.env.SENTIMENT_ENGINE;

beforeAll(async () => {
  // The handler reads SENTIMENT_ENGINE once, at import (cold start).
  Object.assign(process.env, handlerEnv, { SENTIMENT_ENGINE: 'hybrid' });
  ({ handler } = (await import('../../functions/pipeline/classify')) as never);
});
afterAll(() => {
  if (saved === undefined) delete process.env.SENTIMENT_ENGINE;
  else process.env.SENTIMENT_ENGINE = saved;
});
beforeEach(() => {
  sqs.reset();
  comprehend.reset();
  sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
});

const inbound = (id: string, text: string): InboundMessage =>
  inboundMessage({ thread: 'session_0123456789abcdef', text, at: '2026-11-22T10:00:00.000Z' }, { messageId: id, providerMessageId: `s:${id}` });

const forwarded = () =>
  sqs.commandCalls(SendMessageBatchCommand)[0]!.args[0].input.Entries!.map((e) => classifiedMessageSchema.parse(JSON.parse(e.MessageBody!)));

const batch = () =>
  streamEvent([
    inbound('a', 'Thanks, all good! Great service.'),
    inbound('b', 'Where is my order?'),
    inbound('c', 'Die Lieferung ist angekommen, danke schön für alles'),
  ]);

describe('classify handler, SENTIMENT_ENGINE=hybrid', () => {
  it('asks Comprehend only about the messages the built-in engine is unsure of', async () => {
    comprehend.on(BatchDetectSentimentCommand).callsFake((input: { TextList?: string[] }) => ({
      ResultList: (input.TextList ?? []).map((_, Index) => ({
        Index,
        Sentiment: 'NEGATIVE',
        SentimentScore: { Positive: 0.02, Negative: 0.9, Neutral: 0.08, Mixed: 0 },
      })),
      ErrorList: [],
    }));
    const res = await handler(batch());
    expect(res.batchItemFailures).toEqual([]);
    // One call per language; the confident English thank-you is not sent.
    expect(comprehend).toHaveReceivedCommandTimes(BatchDetectSentimentCommand, 2);
    expect(comprehend).toHaveReceivedCommandWith(BatchDetectSentimentCommand, { LanguageCode: 'en', TextList: ['Where is my order?'] });
    expect(comprehend).toHaveReceivedCommandWith(BatchDetectSentimentCommand, {
      LanguageCode: 'de',
      TextList: ['Die Lieferung ist angekommen, danke schön für alles'],
    });
    const [a, b, c] = forwarded();
    expect(a!.classification.sentiment.label).toBe('positive');
    expect(b!.classification.sentiment).toMatchObject({ label: 'negative', score: -4.4 }); // (0.02 - 0.9) x 5
    expect(c!.classification.sentiment.label).toBe('negative');
    // Comprehend's negative score feeds urgency like the lexicon's does.
    expect(b!.classification.urgency.reasons).toContain('negative sentiment (-4.4)');
  });

  it('falls back to the built-in engine when Comprehend fails, failing no record', async () => {
    comprehend.on(BatchDetectSentimentCommand).rejects(new TooManyRequestsException({ message: 'slow down', $metadata: {} }));
    const res = await handler(batch());
    expect(res.batchItemFailures).toEqual([]);
    const [a, b, c] = forwarded();
    expect(a!.classification.sentiment.label).toBe('positive');
    expect(b!.classification.sentiment.label).toBe('neutral');
    expect(c!.classification.sentiment.label).toBe('neutral');
  });
});
