import { describe, expect, it } from 'vitest';
import { ConflictError } from '../../../shared/domain/errors';
import type { Ticket } from '../../../shared/domain/ticket';
import { ticketFixture } from '../../fixtures/ticket';
import { slaTargets } from '../../../shared/routing/sla';
import { planAgentReply } from '../../../shared/tickets/reply-ticket';

const ticket = (over: Partial<Ticket> = {}): Ticket => ticketFixture({ threadKey: 'visitor_1', priority: { score: 75, reasons: [] }, ...over });
const at = (t: string) => ({ now: new Date(`2026-03-07T${t}.000Z`), actor: 'key_agent' });

describe('planAgentReply', () => {
  it('posts the reply in the thread, moves the ticket to pending and counts the first response within SLA', () => {
    const plan = planAgentReply(ticket(), { text: 'On its way!', requestId: 'r1' }, at('10:40:00'));
    expect(plan.reply).toMatchObject({ channel: 'chat', threadKey: 'visitor_1', from: 'agent', text: 'On its way!', sentBy: 'key_agent' });
    expect(plan.ticket).toMatchObject({ status: 'pending', firstResponseAt: '2026-03-07T10:40:00.000Z', messageCount: 2 });
    // Priority 75: first response due within an hour; 40 minutes is met.
    expect(slaTargets(75).firstResponseSeconds).toBe(3600);
    expect(plan.counters.cells).toMatchObject({ 'messagesOut@all': 1, 'firstResponseCount@all': 1, 'firstResponseSecondsSum@all': 2400, 'slaMet@all': 1 });
    // The same request again is the same message id: written once.
    expect(planAgentReply(ticket(), { text: 'On its way!', requestId: 'r1' }, at('10:41:00')).reply.messageId).toBe(plan.reply.messageId);
  });

  it('counts a late first response as an SLA breach, and a second reply as no first response at all', () => {
    expect(planAgentReply(ticket(), { text: 'Sorry', requestId: 'r' }, at('12:00:01')).counters.cells).toMatchObject({ 'slaBreached@all': 1 });
    const again = planAgentReply(ticket({ firstResponseAt: '2026-03-07T10:05:00.000Z' }), { text: 'More', requestId: 'r2' }, at('11:00:00'));
    expect(Object.keys(again.counters.cells).some((c) => c.startsWith('firstResponse') || c.startsWith('sla'))).toBe(false);
  });

  it('refuses closed tickets and channels it cannot deliver on yet', () => {
    expect(() => planAgentReply(ticket({ status: 'closed' }), { text: 'x', requestId: 'r' }, at('11:00:00'))).toThrow(ConflictError);
    expect(() => planAgentReply(ticket({ channel: 'email' }), { text: 'x', requestId: 'r' }, at('11:00:00'))).toThrow(/cannot be delivered yet/);
  });
});
