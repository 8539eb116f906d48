import { describe, expect, it } from 'vitest';
import { classifyText, detectMessageLanguage, sentimentInputFor } from '../../../shared/classify/classify-message';
import { classificationSchema } from '../../../shared/domain/message';

describe('classifyText', () => {
  it('combines language, sentiment and urgency into a valid Classification', () => {
    const c = classifyText({ text: 'My card was stolen and I need a refund immediately! This is terrible.' });
    expect(classificationSchema.safeParse(c).success).toBe(true);
    expect(c.language.code).toBe('en');
    expect(c.sentiment.label).toBe('negative');
    expect(c.urgency.score).toBeGreaterThanOrEqual(70);
    expect(c.urgency.reasons).toEqual(
      expect.arrayContaining(["possible fraud or security issue: 'stolen'", "urgent wording: 'immediately'"]),
    );
  });

  it('classifies a calm thank-you as positive and not urgent', () => {
    expect(classifyText({ text: 'Thank you so much, everything works perfectly now!' })).toMatchObject({
      language: { code: 'en' },
      sentiment: { label: 'positive' },
      urgency: { score: 0, reasons: [] },
    });
  });

  it('adds the support category and intent, and sends non-English text to triage', () => {
    expect(classifyText({ text: 'I want a refund for the broken kettle, how do I get my money back?' }).topic).toMatchObject({
      category: 'REFUND',
      intent: 'get_refund',
      outOfScope: false,
    });
    expect(classifyText({ text: 'Où est ma commande ? Je veux annuler ma commande tout de suite.' }).topic?.outOfScope).toBe(true);
  });

  it('handles non-English messages', () => {
    const es = classifyText({ text: '¿Dónde está mi pedido? Es urgente.' });
    expect(es.language.code).toBe('es');
    expect(es.urgency.reasons).toEqual(["urgent wording: 'urgente'"]);
    expect(classifyText({ text: '注文した商品がまだ届きません' }).language.code).toBe('ja');
  });

  it('uses the subject for urgency and language, not for sentiment', () => {
    const withSubject = classifyText({ text: 'see above', subject: 'Urgent: refund for order 1234 please' });
    const without = classifyText({ text: 'see above' });
    expect(withSubject.urgency.score).toBeGreaterThan(without.urgency.score);
    expect(withSubject.language.code).toBe('en');
    expect(without.language.code).toBe('und');
    expect(withSubject.sentiment).toEqual(without.sentiment);
  });

  it('returns a valid result for empty and odd input', () => {
    for (const text of ['', ' ', '!!!', '🙂', 'a'.repeat(20_000), '\u0000\uFFFF']) {
      const c = classifyText({ text });
      expect(classificationSchema.safeParse(c).success, JSON.stringify(text.slice(0, 10))).toBe(true);
    }
    expect(classifyText({ text: '' })).toEqual({
      language: { code: 'und', confidence: 0 },
      // confidence 0: nothing to judge (the built-in engine adds confidence to every result).
      sentiment: { score: 0, comparative: 0, label: 'neutral', confidence: 0 },
      urgency: { score: 0, reasons: [] },
      // Nothing to classify: the classifier is not confident, so a person triages it.
      topic: expect.objectContaining({ outOfScope: true }),
    });
  });

  it('takes the sentiment from outside when a batch engine already scored it', () => {
    const supplied = { score: -4, comparative: -2, label: 'negative' as const, confidence: 0.9 };
    const c = classifyText({ text: 'Where is my order?' }, supplied);
    expect(c.sentiment).toBe(supplied);
    expect(c.urgency.reasons).toContain('negative sentiment (-4)');
    expect(classifyText({ text: 'Where is my order?' }).sentiment.label).toBe('neutral');
  });

  it('tells engines the language to judge: English when unsure, else the detected code', () => {
    const en = { text: 'ok thx' };
    expect(sentimentInputFor(en, detectMessageLanguage(en))).toEqual({ text: 'ok thx', languageCode: 'en' });
    const de = { text: 'Wo ist meine Bestellung? Ich warte schon seit Tagen.' };
    expect(sentimentInputFor(de, detectMessageLanguage(de)).languageCode).toBe('de');
  });

  it('is deterministic', () => {
    const input = { text: 'Ich warte seit 3 Tagen auf meine Erstattung!!', subject: 'Beschwerde' };
    expect(classifyText(input)).toEqual(classifyText(input));
  });
});

describe('English lexicon on other languages', () => {
  it('keeps confidently German or Spanish messages neutral instead of misreading English words', () => {
    expect(classifyText({ text: 'Die Lieferung ist angekommen, danke schön für alles' }).sentiment.label).toBe('neutral');
    expect(classifyText({ text: 'La situación es grave pero gracias por la ayuda de ayer' }).sentiment.label).toBe('neutral');
    expect(classifyText({ text: 'The delivery arrived broken and late, terrible service' }).sentiment.label).toBe('negative');
  });
});
