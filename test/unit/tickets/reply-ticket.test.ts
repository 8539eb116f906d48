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

  it('counts the time the agent logs with the reply as handling time under the agent', () => {
    const plan = planAgentReply(ticket({ assignee: 'key_ana' }), { text: 'Done.', requestId: 'r', timeSpentSeconds: 240 }, at('10:40:00'));
    expect(plan.counters.cells).toMatchObject({ 'communicationSeconds@all': 240, 'communicationSeconds@agent#key_ana': 240, 'communications@all': 1 });
  });

  it('counts a late first response as an SLA breach, and a second reply as no first response at all', () => {
    expect(planAgentReply(ticket(), { text: 'Sorry', requestId: 'r' }, at('12:00:01')).counters.cells).toMatchObject({ 'slaBreached@all': 1 });
    const again = planAgentReply(ticket({ firstResponseAt: '2026-03-07T10:05:00.000Z' }), { text: 'More', requestId: 'r2' }, at('11:00:00'));
    expect(Object.keys(again.counters.cells).some((c) => c.startsWith('firstResponse') || c.startsWith('sla'))).toBe(false);
  });

  it('refuses closed tickets, channels it cannot deliver on yet, and email/SMS with no customer message to answer', () => {
    expect(() => planAgentReply(ticket({ status: 'closed' }), { text: 'x', requestId: 'r' }, at('11:00:00'))).toThrow(ConflictError);
    expect(() => planAgentReply(ticket({ channel: 'social' }), { text: 'x', requestId: 'r' }, at('11:00:00'))).toThrow(/cannot be delivered yet/);
    expect(() => planAgentReply(ticket({ channel: 'email' }), { text: 'x', requestId: 'r' }, at('11:00:00'))).toThrow(/no address to reply to/);
    const sms = { channel: 'sms' as const, from: '+14155550100', providerMessageId: 'p', threadKey: '+14155550100' };
    expect(() => planAgentReply(ticket({ channel: 'sms' }), { text: 'x'.repeat(1601), requestId: 'r', answering: sms }, at('11:00:00'))).toThrow(/at most 1600 characters/);
  });

  it('addresses email replies to the customer’s latest message, from the address they wrote to, and clears an earlier failure', () => {
    const answering = {
      channel: 'email' as const,
      from: 'ana@example.com',
      to: 'support@acme.test',
      subject: 'Re: Where is my order?',
      providerMessageId: '<m2@example.com>',
      threadKey: '<m1@example.com>',
    };
    const failed = { messageId: 'msg_old', error: 'SES refused the mail', at: '2026-03-07T10:10:00.000Z' };
    const plan = planAgentReply(ticket({ channel: 'email', threadKey: '<m1@example.com>', deliveryFailure: failed }), { text: 'Shipped today.', requestId: 'r', answering }, at('10:40:00'));
    expect(plan.reply.delivery).toEqual({
      status: 'queued',
      channel: 'email',
      to: 'ana@example.com',
      from: 'support@acme.test',
      // Not "Re: Re:"; the root first, so the customer's answer joins this ticket.
      subject: 'Re: Where is my order?',
      inReplyTo: '<m2@example.com>',
      references: ['<m1@example.com>', '<m2@example.com>'],
    });
    expect(plan.ticket.deliveryFailure).toBeUndefined();
    const sms = planAgentReply(ticket({ channel: 'sms' }), { text: 'Shipped.', requestId: 'r', answering: { ...answering, channel: 'sms', from: '+14155550100', to: '+14155550199' } }, at('10:40:00'));
    expect(sms.reply.delivery).toEqual({ status: 'queued', channel: 'sms', to: '+14155550100', from: '+14155550199' });
  });
});
