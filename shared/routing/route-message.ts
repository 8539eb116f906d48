import { revokedOutcome } from '../analytics/outcome';
import type { KpiEvent } from '../analytics/kpi';
import { directIncrements, isLateForRollup, type RoutingCounts } from '../analytics/routing-counts';
import { textSampleOf } from '../analytics/text-samples';
import type { CustomerTier } from '../customers/customer-tier';
import { DependencyError } from '../domain/errors';
import { teamOf, ticketTypeOf } from '../classify/ticket-type';
import { messageIdFor, newTicketId } from '../domain/ids';
import type { ClassifiedMessage } from '../domain/message';
import type { FirstContact, OutboundReply, StoredMessage, Ticket } from '../domain/ticket';
import { AUTO_REPLY_SENDER, planAnswer, type AnswerPlan, type SuggestFn } from '../knowledge/answer-plan';
import { DEFAULT_AUTO_REPLY_POLICY, type AutoReplyPolicy } from '../knowledge/auto-reply';
import { deliveryFor } from '../outbound/delivery';
import type { RoutedMessage, RoutingStore } from './routing-store';
import { resolveCustomer } from './identity';
import { mergePriority, messagePriority } from './priority';
import { slaDecision } from './sla';

export type RouteOutcome =
  /** `deliver`: the auto-reply to hand to the outbound queue (email, SMS), by message id. */
  | { outcome: 'opened' | 'appended'; ticketId: string; customerId: string; deliver?: string }
  /** `customerId`: whom the earlier delivery routed it to, when known. */
  | { outcome: 'already-routed'; customerId?: string };

/** Characters of the latest message kept on the ticket for the inbox list (the ticket stays under 1 KB). */
const PREVIEW = 120;

export interface RouteOptions {
  /** Knowledge-base matching; without it no suggestions are made (and nothing is auto-replied). */
  suggest?: SuggestFn;
  /** Auto-reply policy per category; DEFAULT_AUTO_REPLY_POLICY when omitted. */
  policy?: AutoReplyPolicy;
  /** Claims the customer's activity markers of the month (churn); what it returns is counted with the message. */
  activity?: (customerId: string, opts: ActivityContext) => Promise<Pick<RoutingCounts, 'active' | 'retained'>>;
}

/** What routing knows of the customer when it claims their activity: created by this message, or first seen in which. */
export interface ActivityContext {
  newCustomer: boolean;
  firstContact?: FirstContact;
}

/** The auto-reply's id: derived from the inbound message's, so a retry cannot post it twice. */
export const autoReplyIdFor = (inbound: { channel: ClassifiedMessage['message']['channel']; messageId: string }): string =>
  messageIdFor(inbound.channel, `auto-reply:${inbound.messageId}`);

/**
 * Routes one classified message: resolves the customer, opens or continues the ticket of its
 * thread, and attaches the message with its knowledge-base suggestions and what it counts;
 * when policy allows, the best article is written back into the thread (on email and SMS with
 * a queued delivery the caller hands to the outbound queue) and the ticket waits for the
 * customer. No transaction: each write is conditional and ordered so that a rerun (a
 * redelivery after a crash, or a duplicate) finishes what an earlier run began and changes
 * nothing that run completed (docs/architecture.md, "Exactly once without transactions").
 */
export async function routeMessage(store: RoutingStore, input: ClassifiedMessage, now: Date, options: RouteOptions = {}): Promise<RouteOutcome> {
  const { message, classification } = input;
  // No read of the message first: its own conditional write below decides whether this run routes
  // it, and a run that finds it routed already finishes what the earlier run may have left.
  // The customer, once known, and their tier (shared/customers: one small read; vip raises priority).
  const tier: { customerId?: string; created?: boolean; value?: CustomerTier | undefined; firstContact?: FirstContact } = {};
  const readFacts = async (customerId: string) => {
    // A profile written moments ago may not show in an eventually consistent read (it is put
    // whole, so a read that sees it sees its first contact): read again consistently then.
    const facts = (await store.getRoutingFacts(customerId)) ?? (await store.getRoutingFacts(customerId, { consistent: true }));
    tier.value = facts?.tier;
    if (facts?.firstContact) tier.firstContact = facts.firstContact;
  };
  const at = now.toISOString();
  const topic = classification.topic;
  const text = message.subject ? `${message.subject}\n${message.text}` : message.text;
  const knownCategory = topic && !topic.outOfScope ? topic.category : undefined;
  const answer: AnswerPlan = options.suggest
    ? planAnswer(await options.suggest(text, knownCategory), {
        messageId: message.messageId,
        channel: message.channel,
        category: knownCategory,
        policy: options.policy ?? DEFAULT_AUTO_REPLY_POLICY,
      })
    : { suggestions: [] };
  // Sent after the message it answers, so the thread lists it second even with clock skew.
  const replyAt = new Date(Math.max(now.getTime(), Date.parse(message.receivedAt) + 1)).toISOString();
  const delivery = deliveryFor(message, { auto: true });
  const reply: OutboundReply | undefined = answer.send && {
    messageId: autoReplyIdFor(message),
    channel: message.channel,
    threadKey: message.threadKey,
    from: AUTO_REPLY_SENDER,
    text: answer.send.text,
    sentAt: replyAt,
    inReplyTo: message.messageId,
    articleId: answer.send.articleId,
    ...(delivery ? { delivery } : {}),
  };
  const deliver = reply?.delivery ? { deliver: reply.messageId } : {};
  // What the ticket is about decides its type (seed 004) and team; unsure → human triage.
  const about: Pick<Ticket, 'category' | 'intent' | 'ticketType' | 'team'> = topic
    ? { category: topic.category, intent: topic.intent, ticketType: ticketTypeOf(topic.category, topic.intent), team: teamOf(topic.category, topic.outOfScope) }
    : {};
  const preview = message.text.slice(0, PREVIEW);
  const where = { messageId: message.messageId, channel: message.channel, receivedAt: message.receivedAt };
  // An auto-reply answers the customer: the ticket waits for them, and its first answer is now.
  const answered = (t: Ticket): Ticket => {
    const out: Ticket = { ...t, messageIds: [...t.messageIds, message.messageId, ...(reply ? [reply.messageId] : [])] };
    if (answer.suggestedAnswer) out.suggestedAnswer = answer.suggestedAnswer;
    else delete out.suggestedAnswer;
    if (reply) Object.assign(out, { status: 'pending' as const, firstResponseAt: t.firstResponseAt ?? replyAt });
    return out;
  };
  const plans: TicketPlans = {
    open: (ticketId) => {
      const priority = messagePriority(classification, { customerTier: tier.value });
      const ticket: Ticket = answered({
        ...about,
        ticketId,
        customerId: tier.customerId!,
        channel: message.channel,
        threadKey: message.threadKey,
        subject: message.subject ?? preview.slice(0, 80),
        status: 'open',
        priority,
        language: classification.language.code,
        sentiment: classification.sentiment.label,
        messageCount: reply ? 2 : 1,
        messageIds: [],
        createdAt: at,
        updatedAt: at,
        lastMessageAt: message.receivedAt,
        lastMessagePreview: preview,
      });
      return { ticket, priority, counts: routingCounts({ openedTicket: true, complaint: about.ticketType === 'complaint', owner: about, firstResponseFrom: message.receivedAt, priorityScore: priority.score }) };
    },
    append: (open) => {
      // A customer writing again on a solved ticket reopens it (closed stays closed: a race with an agent closing it).
      const reopened = open.status === 'solved';
      const priority = messagePriority(classification, { customerTier: tier.value, ticketOpenedAt: open.createdAt, receivedAt: message.receivedAt });
      // The customer wrote back: a ticket that was waiting for them (pending) waits for an agent again.
      const ticket: Ticket = answered({
        ...open,
        ...(reopened || open.status === 'pending' ? { status: 'open' as const } : {}),
        updatedAt: laterThan(open.updatedAt, at),
        lastMessageAt: message.receivedAt > open.lastMessageAt ? message.receivedAt : open.lastMessageAt,
        lastMessagePreview: preview,
        priority: mergePriority(open.priority, priority),
        sentiment: classification.sentiment.label,
        messageCount: open.messageCount + (reply ? 2 : 1),
      });
      if (reopened) {
        delete ticket.resolvedAt;
        delete ticket.outcomeCounted;
      }
      const counts = routingCounts({
        openedTicket: reopened,
        complaint: false,
        owner: open,
        firstResponseFrom: open.firstResponseAt === undefined ? open.createdAt : undefined,
        priorityScore: priority.score,
      });
      // Reopened by the customer: the resolution they reopened scores 0 after all.
      if (reopened && open.resolvedAt && open.outcomeCounted) counts.correction = revokedOutcome(open.resolvedAt, open);
      return { ticket, priority, counts, previous: open };
    },
  };
  const routingCounts = (c: { openedTicket: boolean; complaint: boolean; owner: { team?: string; assignee?: string }; firstResponseFrom: string | undefined; priorityScore: number }): RoutingCounts => {
    const events: KpiEvent[] = [{ type: 'message.received' }];
    if (c.openedTicket) events.push({ type: 'ticket.opened', ...(c.complaint ? { complaint: true } : {}) });
    if (reply) {
      events.push({ type: 'message.sent' });
      if (c.firstResponseFrom !== undefined) {
        const waitSeconds = Math.max(0, Math.round((Date.parse(replyAt) - Date.parse(c.firstResponseFrom)) / 1000));
        events.push({ type: 'ticket.first-responded', waitSeconds }, slaDecision('firstResponse', c.priorityScore, waitSeconds));
      }
    }
    // Counted under the ticket's team and agent: for a follow-up, the ones the ticket has now.
    return { events, ...(c.owner.team ? { team: c.owner.team } : {}), ...(c.owner.assignee ? { agent: c.owner.assignee } : {}) };
  };
  // Routed after its hour is about to be rolled up: counted by counter writes with the routing instead.
  const late = isLateForRollup(message.receivedAt, now);
  const routedWith = (ticketId: string, priority: Ticket['priority'], planned: RoutingCounts): RoutedMessage => {
    const counts: RoutingCounts = late ? { ...planned, direct: true } : planned;
    return {
    messageId: message.messageId,
    channel: message.channel,
    threadKey: message.threadKey,
    receivedAt: message.receivedAt,
    ticketId,
    customerId: tier.customerId!,
    classification,
    priority,
    routedAt: at,
    counts,
    ...(late ? { directCounters: directIncrements({ ...where, counts }) } : {}),
    ...(late ? { textSample: textSampleOf(message, classification) } : {}),
    ...(answer.suggestions.length ? { suggestions: answer.suggestions } : {}),
    };
  };

  // A ticket an agent closed between this message's routing write and its ticket write: the
  // routing is taken back and the redelivery routes it afresh (a new ticket). A late message keeps
  // it (its counters are added already): it stays in the closed ticket.
  const closedUnder = (ticketId: string, routedAt: string) =>
    isLateForRollup(message.receivedAt, new Date(routedAt)) ? undefined : () => store.unroute(message.messageId, ticketId, reply?.messageId);

  // Routed before, but the run may have stopped before its ticket write: finish that (counts stay as recorded).
  const finishRouted = async (stored: StoredMessage | undefined): Promise<RouteOutcome> => {
    // Messages are stored before they are queued; a missing one is a fault worth a retry, not a skip.
    if (!stored) throw new Error(`Message ${message.messageId} is not in the store`);
    if (stored.ticketId && stored.customerId && !(await store.getTicket(stored.ticketId))?.messageIds.includes(message.messageId)) {
      tier.customerId = stored.customerId;
      if (!('value' in tier)) await readFacts(stored.customerId);
      const routedAt = stored.routedAt ?? at;
      if (reply) await store.putReply(reply, { ticketId: stored.ticketId, customerId: stored.customerId, routedAt });
      await writeTicket(store, stored.ticketId, message.messageId, plans, undefined, closedUnder(stored.ticketId, routedAt));
    }
    return { outcome: 'already-routed', ...(stored.customerId ? { customerId: stored.customerId } : {}) };
  };

  let activity: Pick<RoutingCounts, 'active' | 'retained'> | undefined;
  // If another worker opens the thread's ticket first, append to theirs.
  for (let attempt = 0; attempt < THREAD_ATTEMPTS; attempt++) {
    const thread = await store.findThreadTicket(message.channel, message.threadKey, { consistent: attempt > 0 });
    // A chat session or a phone number is one sender: its ticket's customer is theirs, no identity lookup needed.
    if (!tier.customerId) {
      const resolved = thread?.ticket && message.alsoKnownAs.length === 0 && SENDER_IS_THREAD.has(message.channel) ? { customerId: thread.ticket.customerId, created: false } : await resolveCustomer(store, message, now);
      tier.customerId = resolved.customerId;
      tier.created = resolved.created;
    }
    if (!('value' in tier)) await readFacts(tier.customerId);
    activity ??= options.activity ? await options.activity(tier.customerId, { newCustomer: tier.created === true, ...(tier.firstContact ? { firstContact: tier.firstContact } : {}) }) : {};
    let ticketId: string;
    let plan: TicketPlan;
    if (thread?.ticket) {
      ticketId = thread.ticketId;
      plan = plans.append(thread.ticket);
    } else if (thread) {
      // Claimed, its ticket not written yet: by another worker (wait for it), or by this message's own earlier run.
      if (thread.openedBy !== message.messageId) {
        if (attempt === THREAD_ATTEMPTS - 1) throw new DependencyError(`Ticket ${thread.ticketId} of this thread is being opened; it will be retried.`);
        await pause(attempt);
        continue;
      }
      ticketId = thread.ticketId;
      plan = plans.open(ticketId);
    } else {
      ticketId = newTicketId();
      plan = plans.open(ticketId);
      if (!(await store.claimThread(message.channel, message.threadKey, ticketId, message.messageId))) continue;
    }
    // The message first (it counts once), then its reply (after it, so the thread never shows the
    // answer before the question; its id is derived, so a rerun finds it), then the ticket: a run
    // that stops anywhere is finished by the redelivery.
    const counts: RoutingCounts = { ...plan.counts, ...activity };
    if (!(await store.markRouted(routedWith(ticketId, plan.priority, counts)))) {
      // Routed by an earlier (or a concurrent) run: a thread claimed just now for it is given
      // back, unless that run routed it into this very ticket.
      const stored = await store.getMessage(message.messageId);
      if (!thread && stored?.ticketId !== ticketId) await store.releaseThread(message.channel, message.threadKey, ticketId);
      return finishRouted(stored);
    }
    if (reply) await store.putReply(reply, { ticketId, customerId: tier.customerId, routedAt: at });
    await writeTicket(store, ticketId, message.messageId, plans, { ...plan, counts }, closedUnder(ticketId, at));
    return { outcome: thread?.ticket ? 'appended' : 'opened', ticketId, customerId: tier.customerId!, ...deliver };
  }
  throw new Error(`Could not thread message ${message.messageId}: its ticket kept changing`);
}

const THREAD_ATTEMPTS = 6;
/** A short, growing, jittered wait before reading a ticket another worker is writing (10 ms, 20 ms, …). */
const pause = (attempt: number) => new Promise((r) => setTimeout(r, (10 << attempt) * (0.5 + Math.random())));

/** Channels whose thread key is the sender's own address. */
const SENDER_IS_THREAD: ReadonlySet<string> = new Set(['chat', 'sms']);

/** An update time strictly after the one read, so a conditional write on it can never pass twice. */
const laterThan = (previous: string, at: string): string => (at > previous ? at : new Date(Date.parse(previous) + 1).toISOString());

interface TicketPlan {
  ticket: Ticket;
  /** The message's own priority (the ticket's is the highest of its messages'). */
  priority: Ticket['priority'];
  counts: RoutingCounts;
  /** The ticket as read, for an append (the write is conditional on it); none for a new ticket. */
  previous?: Ticket;
}
interface TicketPlans {
  open(ticketId: string): TicketPlan;
  append(open: Ticket): TicketPlan;
}

/**
 * Writes the message's change into its ticket, conditional on the ticket being as read; on a
 * concurrent change it reads the ticket again and plans again from it. Skipped when the ticket
 * already lists the message (a rerun, or a duplicate delivery that got there first). A ticket
 * found closed on a reread calls `onClosed` (the routing is taken back) and fails for a retry.
 */
async function writeTicket(store: RoutingStore, ticketId: string, messageId: string, plans: TicketPlans, first?: TicketPlan, onClosed?: () => Promise<void>): Promise<void> {
  let plan = first;
  let recorded = first?.counts;
  for (let attempt = 0; attempt < 8; attempt++) {
    if (!plan) {
      if (attempt > 1) await pause(attempt - 2);
      const current = await store.getTicket(ticketId);
      if (current?.messageIds.includes(messageId)) return;
      if (current?.status === 'closed' && onClosed) {
        await onClosed();
        throw new DependencyError(`Ticket ${ticketId} was closed while message ${messageId} was routed into it; the message will be routed again.`);
      }
      const next = current ? plans.append(current) : plans.open(ticketId);
      // Planned from a ticket an agent changed meanwhile: what the message counts may differ.
      // (The activity claims stay as recorded: they depend on the customer, not the ticket.)
      const nextCounts: RoutingCounts = recorded ? { ...next.counts, ...pick(recorded, 'active', 'retained') } : next.counts;
      if (recorded && !recorded.direct && !sameCounts(recorded, nextCounts)) await store.updateRoutingCounts(messageId, nextCounts);
      recorded &&= nextCounts;
      plan = next;
    }
    if (await store.putTicket(plan.ticket, plan.previous?.updatedAt)) return;
    plan = undefined;
  }
  throw new DependencyError(`Ticket ${ticketId} kept changing while message ${messageId} was written into it; it will be retried.`);
}

const pick = <T extends object, K extends keyof T>(o: T, ...names: K[]): Pick<T, K> =>
  Object.fromEntries(names.filter((n) => o[n] !== undefined).map((n) => [n, o[n]])) as Pick<T, K>;

const sameCounts = (a: RoutingCounts, b: RoutingCounts): boolean => JSON.stringify(a) === JSON.stringify(b);
