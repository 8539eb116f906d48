import { describe, expect, it } from 'vitest';
import { analyzeSentiment, type SentimentResult } from '../../../shared/classify/sentiment';
import { MAX_URGENCY, URGENCY_WEIGHTS, scoreUrgency } from '../../../shared/classify/urgency';

const NEUTRAL: SentimentResult = { score: 0, comparative: 0, label: 'neutral' };
/** Urgency as the pipeline computes it: with the real sentiment of the same text. */
const urgency = (text: string, subject?: string) =>
  scoreUrgency(text, analyzeSentiment(text), subject ? { subject } : {});

describe('scoreUrgency', () => {
  it('gives a calm message 0 and no reasons', () => {
    expect(urgency('Thanks, that fixed it!')).toEqual({ score: 0, reasons: [] });
    expect(urgency('Could you tell me your opening hours?')).toEqual({ score: 0, reasons: [] });
  });

  it('orders messages from calm to urgent', () => {
    const ladder = [
      'Hi, what are your opening hours?',
      'I would like a refund for my order',
      'I want a refund, this product is terrible and broken',
      'I need a refund immediately, this product is terrible!!',
      'Someone used my stolen card, I need a refund immediately or my lawyer will take legal action!!',
    ].map((t) => urgency(t).score);
    for (let i = 1; i < ladder.length; i++) expect(ladder[i], `step ${i}: ${ladder.join(' < ')}`).toBeGreaterThan(ladder[i - 1]!);
  });

  it('explains itself in words an agent can read', () => {
    const r = urgency("I've been waiting for 3 days, fix this ASAP!!! My lawyer is ready. This is awful.");
    expect(r.reasons).toEqual(
      expect.arrayContaining([
        "mentions legal action: 'lawyer'",
        "urgent wording: 'asap'",
        'repeated exclamation marks',
        'customer waiting for 3 days',
        expect.stringMatching(/^negative sentiment \(-\d/),
      ]),
    );
    // Strongest first.
    expect(r.reasons[0]).toBe("mentions legal action: 'lawyer'");
  });

  it('caps the score at 100', () => {
    const r = urgency(
      'URGENT!!! FRAUD on my account, card stolen, I want a refund immediately, this is unacceptable, ' +
        'I am contacting my lawyer, third time I write, waiting for 2 weeks, worst service ever, horrible!!!',
    );
    expect(r.score).toBe(MAX_URGENCY);
    expect(r.reasons.length).toBeGreaterThanOrEqual(8);
  });

  it('is deterministic', () => {
    const text = 'Refund now!!! This is a scam, I will sue you. Waiting for 5 days.';
    const first = urgency(text, 'Complaint');
    for (let i = 0; i < 5; i++) expect(urgency(text, 'Complaint')).toEqual(first);
  });

  it('counts a signal group once, however often it repeats', () => {
    expect(scoreUrgency('urgent urgent urgent, urgently', NEUTRAL).score).toBe(URGENCY_WEIGHTS.urgentWording);
  });

  it.each([
    ['en', 'Please reply immediately', 'urgent wording'],
    ['es', 'Lo necesito urgente, por favor', 'urgent wording'],
    ['fr', 'Répondez immédiatement svp', 'urgent wording'],
    ['de', 'Bitte sofort antworten', 'urgent wording'],
    ['pt', 'Preciso disso imediatamente', 'urgent wording'],
    ['en', 'I will talk to my lawyer', 'mentions legal action'],
    ['es', 'Voy a hablar con mi abogado', 'mentions legal action'],
    ['fr', "Je vais contacter un avocat", 'mentions legal action'],
    ['de', 'Ich schalte meinen Anwalt ein', 'mentions legal action'],
    ['pt', 'Vou falar com meu advogado', 'mentions legal action'],
    ['en', 'My card was stolen', 'possible fraud'],
    ['es', 'Me robaron la tarjeta', 'possible fraud'],
    ['fr', "C'est une fraude", 'possible fraud'],
    ['de', 'Meine Karte wurde gestohlen', 'possible fraud'],
    ['pt', 'Meu cartão foi roubado', 'possible fraud'],
    ['en', 'I want my money back', 'refund or cancellation'],
    ['es', 'Quiero un reembolso', 'refund or cancellation'],
    ['fr', 'Je veux être remboursé', 'refund or cancellation'],
    ['de', 'Ich will eine Rückerstattung', 'refund or cancellation'],
    ['pt', 'Quero cancelar', 'refund or cancellation'],
    ['zh', '请马上处理', 'urgent wording'],
    ['ja', '至急対応してください', 'urgent wording'],
  ])('finds %s keywords in %j', (_lang, text, reason) => {
    const r = scoreUrgency(text, NEUTRAL);
    expect(r.score).toBeGreaterThan(0);
    expect(r.reasons.join(' | ')).toContain(reason);
  });

  it('matches with or without accents and quotes the customer’s own spelling', () => {
    expect(scoreUrgency('repondez immediatement', NEUTRAL).score).toBe(scoreUrgency('Répondez IMMÉDIATEMENT', NEUTRAL).score);
    expect(scoreUrgency('Répondez IMMÉDIATEMENT', NEUTRAL).reasons[0]).toBe("urgent wording: 'immédiatement'");
  });

  it('lowers the score when the customer says it can wait, without counting "urgent"', () => {
    const calm = scoreUrgency('Not urgent, but the invoice has a typo. No rush.', NEUTRAL);
    expect(calm.score).toBe(0);
    expect(calm.reasons).toEqual(["says it can wait: 'Not urgent'"]);
    const refund = scoreUrgency('I want a refund', NEUTRAL).score;
    expect(scoreUrgency('I want a refund, no rush', NEUTRAL).score).toBeLessThan(refund);
  });

  it('adds more for longer waits, in several languages', () => {
    const day = scoreUrgency('waiting for 1 day', NEUTRAL);
    const days = scoreUrgency('waiting for 4 days', NEUTRAL);
    const weeks = scoreUrgency('I ordered 2 weeks ago', NEUTRAL);
    expect(day.score).toBeLessThan(days.score);
    expect(days.score).toBeLessThan(weeks.score);
    expect(weeks.reasons).toEqual(['customer waiting for 2 weeks']);
    expect(scoreUrgency('Ich warte seit 3 Tagen', NEUTRAL).reasons).toEqual(['customer waiting for 3 days']);
    expect(scoreUrgency('Espero desde hace dos semanas', NEUTRAL).reasons).toEqual(['customer waiting for 2 weeks']);
    expect(scoreUrgency("J'attends depuis 5 jours", NEUTRAL).reasons).toEqual(['customer waiting for 5 days']);
    expect(scoreUrgency('Estou esperando há 10 dias', NEUTRAL).reasons).toEqual(['customer waiting for 10 days']);
    // A few hours is not a wait worth flagging.
    expect(scoreUrgency('waiting for 2 hours', NEUTRAL).score).toBe(0);
  });

  it('adds negative sentiment in proportion, capped', () => {
    const mild: SentimentResult = { score: -2, comparative: -0.5, label: 'negative' };
    const strong: SentimentResult = { score: -30, comparative: -3, label: 'negative' };
    expect(scoreUrgency('text', mild)).toEqual({ score: 6, reasons: ['negative sentiment (-2)'] });
    expect(scoreUrgency('text', strong).score).toBe(URGENCY_WEIGHTS.sentimentMax);
    expect(scoreUrgency('text', { score: 5, comparative: 1, label: 'positive' }).score).toBe(0);
  });

  it('scans the subject too', () => {
    expect(scoreUrgency('see subject', NEUTRAL, { subject: 'URGENT: account locked' }).reasons).toEqual([
      "urgent wording: 'urgent'",
      "service not working: 'account locked'",
    ]);
  });

  it('does not mistake a sign-off for a repeat contact', () => {
    expect(scoreUrgency('Thanks again for your help', NEUTRAL).score).toBe(0);
    expect(scoreUrgency('This is the third time I write', NEUTRAL).reasons).toEqual(["repeated contact: 'third time'"]);
  });

  it('avoids common false alarms', () => {
    expect(scoreUrgency('Hi, this is Sue from accounting', NEUTRAL).score).toBe(0);
    expect(scoreUrgency('Das Gericht war kalt', NEUTRAL).score).toBe(0);
    expect(scoreUrgency('I will sue you', NEUTRAL).reasons).toEqual(["mentions legal action: 'will sue'"]);
  });

  it('reads typographic apostrophes like straight ones', () => {
    expect(scoreUrgency('The app doesn’t work', NEUTRAL).reasons).toEqual(["service not working: 'doesn’t work'"]);
  });

  it('flags shouting only for more than one capitalised word', () => {
    expect(scoreUrgency('Order from IKEA', NEUTRAL).score).toBe(0);
    expect(scoreUrgency('WHERE IS MY ORDER', NEUTRAL).reasons).toEqual(['writing in capitals']);
  });
});
