import type { Channel } from '../domain/message';
import { REPLY_CHANNELS, SMS_MAX_CHARS } from '../outbound/delivery';
import type { MessageSuggestion, SuggestedAnswer } from '../domain/ticket';
import { decideAutoReply, type AutoReplyPolicy } from './auto-reply';
import type { AnswerSuggestion } from './index-cache';

/**
 * What routing does with the knowledge base for one customer message: keep the top matches
 * on the message, the best one (and the auto-reply decision) on the ticket, and say whether
 * the best article is to be sent. Pure: the matches come from an injected `SuggestFn`.
 */

/** The matches for a message's text, best first; the message's category (when known) ranks its articles first. */
export type SuggestFn = (text: string, category: string | undefined) => AnswerSuggestion[] | Promise<AnswerSuggestion[]>;

/** How many matches routing keeps on each message. */
export const SUGGESTIONS_PER_MESSAGE = 3;

/** Channels the pipeline can answer on by itself: chat through the thread, email and SMS through the outbound queue. */
export const AUTO_REPLY_CHANNELS: ReadonlySet<Channel> = REPLY_CHANNELS;

/** The ticket's `suggestedAnswer.reason` when policy allowed a reply the channel cannot deliver (social, voice). */
export const NO_OUTBOUND_DELIVERY = 'channel has no outbound delivery yet';

/** The ticket's `suggestedAnswer.reason` when policy allowed an SMS reply but the article is longer than an SMS can be. */
export const TOO_LONG_FOR_SMS = 'article too long for SMS';

/** The `from` of the pipeline's own messages. */
export const AUTO_REPLY_SENDER = 'switchboard';

export interface AnswerPlan {
  /** Compact matches to store on the message (empty when nothing matched). */
  suggestions: MessageSuggestion[];
  /** The best match and the decision taken on it; absent when nothing matched. */
  suggestedAnswer?: SuggestedAnswer;
  /** The article to send now (the policy allows it and the channel can deliver it). */
  send?: { articleId: string; text: string };
}

/**
 * Plans the answer to a message from its matches. The auto-reply decision is
 * `decideAutoReply` (category policy, the article's own flag, score and margin thresholds);
 * an allowed reply on a channel without outbound delivery (social, voice) is recorded as not
 * sent with reason NO_OUTBOUND_DELIVERY, and the agent sees the suggestion instead.
 */
export function planAnswer(
  matches: readonly AnswerSuggestion[],
  ctx: { messageId: string; channel: Channel; category?: string | undefined; policy: AutoReplyPolicy },
): AnswerPlan {
  const suggestions = matches
    .slice(0, SUGGESTIONS_PER_MESSAGE)
    .map((s) => ({ articleId: s.articleId, title: s.title, score: s.score, normalisedScore: s.normalisedScore }));
  const top = matches[0];
  if (!top) return { suggestions };
  const decision = decideAutoReply(top, ctx.policy, ctx.category);
  const deliverable = AUTO_REPLY_CHANNELS.has(ctx.channel);
  const fits = ctx.channel !== 'sms' || top.body.length <= SMS_MAX_CHARS;
  const autoReplied = decision.autoReply && deliverable && fits;
  const reason = !decision.autoReply ? decision.reason : !deliverable ? NO_OUTBOUND_DELIVERY : !fits ? TOO_LONG_FOR_SMS : decision.reason;
  return {
    suggestions,
    suggestedAnswer: { articleId: top.articleId, title: top.title, normalisedScore: top.normalisedScore, autoReplied, reason, messageId: ctx.messageId },
    ...(autoReplied ? { send: { articleId: top.articleId, text: top.body } } : {}),
  };
}
