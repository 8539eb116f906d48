import { NEGATIVE_THRESHOLD, type SentimentResult } from './sentiment';

/**
 * Keyword urgency, 0..100, with reasons an agent can read. Additive and capped: each signal
 * group counts once (repeating "urgent" five times is not five times as urgent), distinct
 * groups add up. No model yet; the weights below are the whole policy.
 */

export interface UrgencyResult {
  /** 0 (can wait) .. 100 (drop everything). */
  score: number;
  /** Human-readable reasons, strongest first. */
  reasons: string[];
}

export interface UrgencyContext {
  /** Email subject or similar headline; scanned like the body. */
  subject?: string;
}

/**
 * All weights in one place. Scale: 100 = an agent should look now. Legal threats and fraud
 * carry regulatory and money risk, so alone they put a message in the top third; explicit
 * "urgent" wording is what customers use when they mean it; refund/cancel and complaints
 * are churn risk but routine; a repeat contact means we already failed once.
 */
export const URGENCY_WEIGHTS = {
  legal: 35,
  fraud: 35,
  urgentWording: 30,
  serviceDown: 15,
  refundOrCancel: 15,
  complaint: 15,
  repeatContact: 10,
  /** Per point of negative sentiment score, up to sentimentMax. */
  sentimentPerPoint: 3,
  sentimentMax: 25,
  exclamations: 5,
  shouting: 5,
  /** Waiting ≥ 1 day / ≥ 3 days / ≥ 7 days. */
  waitingDay: 5,
  waitingDays: 10,
  waitingWeek: 15,
  /** "No rush" lowers the score: the customer told us it can wait. */
  notUrgent: -20,
} as const;

export const MAX_URGENCY = 100;

interface KeywordGroup {
  weight: number;
  reason: string;
  /**
   * Lowercase, accent-free terms (matching is accent-insensitive so "immédiatement" and
   * "immediatement" both hit). A trailing '*' allows any word ending (refund* = refunds,
   * refunded); otherwise the term must end at a word boundary.
   */
  terms: readonly string[];
}

// Strongest terms in en, es, fr, de, pt, plus the few commonest in zh and ja.
const GROUPS: readonly KeywordGroup[] = [
  {
    weight: URGENCY_WEIGHTS.legal,
    reason: 'mentions legal action',
    // Not bare "sue" (a first name) nor bare "Gericht" (also a dish).
    terms: ['lawyer*', 'attorney*', 'legal action', 'sue you', 'sue your', 'will sue', 'suing', 'lawsuit*', 'court',
      'ombudsman', 'small claims',
      'abogado*', 'demanda*', 'denuncia*', 'acciones legales', 'accion legal',
      'avocat*', 'poursuite*', 'action en justice', 'tribunal*', 'plainte en justice',
      'anwalt*', 'rechtsanwalt*', 'klage*', 'verklage*', 'rechtliche schritte', 'vor gericht', 'gerichtlich*',
      'advogado*', 'processar', 'processo judicial', 'procon', 'justica',
      '律师', '起诉', '法院', '弁護士', '訴訟', '裁判'],
  },
  {
    weight: URGENCY_WEIGHTS.fraud,
    reason: 'possible fraud or security issue',
    terms: ['fraud*', 'stolen', 'hacked', 'unauthori*', 'scam*', 'identity theft', 'compromised', 'phishing',
      'fraude*', 'robad*', 'robaron', 'robo', 'hackead*', 'no autorizad*', 'estafa*',
      'vole', 'volee', 'pirate', 'non autorise*', 'arnaque*', 'escroquerie*',
      'betrug*', 'gestohlen', 'gehackt', 'nicht autorisiert', 'unbefugt*',
      'roubad*', 'roubaram', 'roubo', 'invadid*', 'nao autorizad*',
      '诈骗', '欺诈', '被盗', '盗刷', '詐欺', '盗まれ', '不正利用', '不正アクセス'],
  },
  {
    weight: URGENCY_WEIGHTS.urgentWording,
    reason: 'urgent wording',
    terms: ['urgent*', 'asap', 'a.s.a.p', 'immediately', 'right now', 'right away', 'emergency', 'critical',
      'urgente*', 'inmediatamente', 'ya mismo', 'cuanto antes', 'emergencia',
      'immediatement', 'tout de suite', 'au plus vite', 'des que possible', 'au plus tot',
      'dringend*', 'sofort*', 'umgehend', 'schnellstmoglich', 'notfall',
      'imediatamente', 'agora mesmo', 'o quanto antes',
      '紧急', '马上', '立刻', '尽快', '至急', '緊急', '今すぐ', 'すぐに'],
  },
  {
    weight: URGENCY_WEIGHTS.serviceDown,
    reason: 'service not working',
    terms: ['outage', 'is down', 'not working', "doesn't work", 'does not work', "can't log in", 'cannot log in',
      'locked out', 'account locked', 'charged twice', 'double charged',
      'no funciona', 'cuenta bloqueada', 'cobraron dos veces',
      'ne marche pas', 'ne fonctionne pas', 'compte bloque', 'debite deux fois',
      'funktioniert nicht', 'gesperrt', 'doppelt abgebucht',
      'nao funciona', 'conta bloqueada', 'cobrado duas vezes'],
  },
  {
    weight: URGENCY_WEIGHTS.refundOrCancel,
    reason: 'asks for refund or cancellation',
    terms: ['refund*', 'money back', 'chargeback', 'cancel*',
      'reembolso*', 'devolucion', 'cancelar', 'cancelen', 'darme de baja',
      'rembourse*', 'annuler', 'annulez', 'resilier', 'resiliez',
      'ruckerstattung', 'erstattung', 'geld zuruck', 'stornieren', 'storniert', 'kundigen', 'kundigung',
      'estorno', 'devolucao', 'cancelem',
      '退款', '取消订单', '返金', '解約', 'キャンセル'],
  },
  {
    weight: URGENCY_WEIGHTS.complaint,
    reason: 'complaint or escalation',
    terms: ['complaint*', 'complain*', 'manager', 'supervisor', 'escalat*', 'unacceptable', 'bad review',
      'queja*', 'reclamacion*', 'reclamo*', 'inaceptable', 'hoja de reclamaciones',
      'plainte*', 'reclamation*', 'un responsable', 'votre responsable', 'inacceptable',
      'beschwerde*', 'vorgesetzte*', 'inakzeptabel', 'unverschamt*',
      'reclamacao', 'reclamar', 'gerente', 'inaceitavel',
      '投诉', '经理', '苦情', 'クレーム', '責任者'],
  },
  {
    weight: URGENCY_WEIGHTS.repeatContact,
    reason: 'repeated contact',
    // Not plain "again": "thanks again" is a sign-off, not a repeat contact.
    terms: ['still waiting', 'still not', "still haven't", 'still no', 'yet again', 'once again', 'second time', 'third time',
      'several times', 'multiple times', 'already contacted', 'already called', 'already emailed', 'no one answered',
      'nobody answered', 'no response', 'no reply',
      'sigo esperando', 'todavia no', 'otra vez', 'de nuevo', 'varias veces',
      'toujours pas', 'toujours rien', 'encore une fois', 'plusieurs fois', 'a nouveau',
      'immer noch', 'schon wieder', 'erneut', 'mehrmals',
      'ainda nao', 'de novo', 'novamente', 'varias vezes', 'continuo esperando'],
  },
];

// Removed before the other groups are scanned, so "not urgent" does not also count as urgent.
const NOT_URGENT_TERMS = ['no rush', 'no hurry', 'not urgent', 'whenever you can', 'when you have time', 'sin prisa',
  'no es urgente', 'pas urgent', 'rien ne presse', 'pas presse', 'keine eile', 'nicht dringend', 'sem pressa',
  'nao e urgente'];

/**
 * Lowercases and strips accents one UTF-16 unit at a time, so indices still point into the
 * original text and reasons can quote what the customer actually wrote.
 */
function fold(text: string): string {
  let out = '';
  for (const ch of text) {
    if (ch < '\u0080') {
      out += ch.toLowerCase();
      continue;
    }
    if (ch === '\u2019') {
      out += "'"; // typographic apostrophe, as phones type it: "doesn’t work"
      continue;
    }
    const folded = ch.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
    out += folded.length === ch.length ? folded : ch;
  }
  return out;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

function termsRegExp(terms: readonly string[]): RegExp {
  const alternatives = terms.map((t) => {
    // Chinese and Japanese have no spaces, so word boundaries do not apply.
    if (CJK.test(t)) return escapeRegExp(t);
    const stem = t.endsWith('*') ? `${escapeRegExp(t.slice(0, -1))}\\p{L}*` : `${escapeRegExp(t)}(?!\\p{L})`;
    return `(?<!\\p{L})${stem}`;
  });
  return new RegExp(alternatives.join('|'), 'gu');
}

const GROUP_RES = GROUPS.map((g) => ({ ...g, re: termsRegExp(g.terms) }));
const NOT_URGENT_RE = termsRegExp(NOT_URGENT_TERMS);

// Waiting time stated in the text: "for 3 days", "2 weeks ago", "desde hace 3 días",
// "depuis 3 jours", "seit 3 Tagen", "há 3 dias". Matched on folded text.
const NUMBER_WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, un: 1, una: 1, une: 1, um: 1, uma: 1, einem: 1, einer: 1,
  dos: 2, deux: 2, zwei: 2, dois: 2, duas: 2, tres: 3, trois: 3, drei: 3,
};
const UNIT_HOURS: Array<[RegExp, number, string]> = [
  [/^(?:hours?|horas?|heures?|stunden?)$/u, 1, 'hour'],
  [/^(?:days?|dias?|jours?|tag|tage|tagen)$/u, 24, 'day'],
  [/^(?:weeks?|semanas?|semaines?|woche|wochen)$/u, 24 * 7, 'week'],
  [/^(?:months?|mes|meses|mois|monat|monate|monaten)$/u, 24 * 30, 'month'],
];
const WAITING_RES = [
  /(?<!\p{L})(?:for|since|over|past|desde hace|hace|durante|depuis|il y a|pendant|seit|vor|uber|ha|faz|por)\s+(\d+|[a-z]+)\s+(\p{L}+)/gu,
  /(?<!\p{L})(\d+|[a-z]+)\s+(\p{L}+)\s+ago(?!\p{L})/gu,
];

function waitingHours(folded: string): { hours: number; phrase: string } | undefined {
  let best: { hours: number; phrase: string } | undefined;
  for (const m of WAITING_RES.flatMap((re) => [...folded.matchAll(re)])) {
    const n = /^\d+$/u.test(m[1] ?? '') ? Number(m[1]) : NUMBER_WORDS[m[1] ?? ''];
    const unit = UNIT_HOURS.find(([re]) => re.test(m[2] ?? ''));
    if (n === undefined || !unit || n > 1000) continue;
    const hours = n * unit[1];
    if (!best || hours > best.hours) best = { hours, phrase: `${n} ${unit[2]}${n === 1 ? '' : 's'}` };
  }
  return best;
}

/**
 * Scores how urgently a message needs an agent.
 *
 * @param text - message body.
 * @param sentiment - result of `analyzeSentiment` for the same text.
 * @param context - optional subject, scanned with the body.
 * @returns score 0..100 (weights in URGENCY_WEIGHTS, capped at MAX_URGENCY) and reasons,
 *   strongest first. Deterministic: same input, same output.
 */
export function scoreUrgency(text: string, sentiment: SentimentResult, context: UrgencyContext = {}): UrgencyResult {
  const original = context.subject ? `${context.subject}\n${text}` : text;
  let folded = fold(original);
  const found: Array<{ weight: number; reason: string }> = [];

  const calm = [...folded.matchAll(NOT_URGENT_RE)];
  if (calm.length > 0) {
    const first = calm[0]!;
    found.push({ weight: URGENCY_WEIGHTS.notUrgent, reason: `says it can wait: '${original.slice(first.index, first.index + first[0].length)}'` });
    folded = folded.replace(NOT_URGENT_RE, (m) => ' '.repeat(m.length));
  }

  for (const group of GROUP_RES) {
    const quotes = [...new Set([...folded.matchAll(group.re)].map((m) => original.slice(m.index, m.index + m[0].length).toLowerCase()))];
    if (quotes.length > 0) found.push({ weight: group.weight, reason: `${group.reason}: ${quotes.slice(0, 3).map((q) => `'${q}'`).join(', ')}` });
  }

  if (sentiment.score <= NEGATIVE_THRESHOLD) {
    const points = Math.min(URGENCY_WEIGHTS.sentimentMax, Math.round(-sentiment.score * URGENCY_WEIGHTS.sentimentPerPoint));
    found.push({ weight: points, reason: `negative sentiment (${sentiment.score})` });
  }

  if (/!{2,}|(?:!\s*){3,}/u.test(original)) found.push({ weight: URGENCY_WEIGHTS.exclamations, reason: 'repeated exclamation marks' });
  const capsWords = original.match(/(?<!\p{L})\p{Lu}{3,}(?!\p{L})/gu) ?? [];
  if (capsWords.length >= 2) found.push({ weight: URGENCY_WEIGHTS.shouting, reason: 'writing in capitals' });

  const waiting = waitingHours(folded);
  if (waiting && waiting.hours >= 24) {
    const weight = waiting.hours >= 24 * 7 ? URGENCY_WEIGHTS.waitingWeek : waiting.hours >= 72 ? URGENCY_WEIGHTS.waitingDays : URGENCY_WEIGHTS.waitingDay;
    found.push({ weight, reason: `customer waiting for ${waiting.phrase}` });
  }

  const total = found.reduce((s, f) => s + f.weight, 0);
  // Stable sort: equal weights keep the fixed scan order above, so output is deterministic.
  const reasons = found.filter((f) => f.weight > 0).sort((a, b) => b.weight - a.weight).map((f) => f.reason);
  const calmReason = found.find((f) => f.weight < 0)?.reason;
  if (calmReason) reasons.push(calmReason);
  return { score: Math.max(0, Math.min(MAX_URGENCY, total)), reasons };
}
