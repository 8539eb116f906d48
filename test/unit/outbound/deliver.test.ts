import { describe, expect, it, vi } from 'vitest';
import { CLAIM_LEASE_MS, deliverReply, MAX_OUTBOX_SWEEPS, OUTBOX_GRACE_MS, sweepOutbox } from '../../../shared/outbound/deliver';
import { deliveryFor, replySubject } from '../../../shared/outbound/delivery';
import type { Delivery } from '../../../shared/domain/delivery';
import { DeliveryRejectedError } from '../../../shared/outbound/senders';
import type { OutboundRecord, OutboxStore } from '../../../shared/outbound/outbox-store';
import type { MessageQueue } from '../../../shared/domain/queue';

const now = new Date('2026-12-01T10:00:00.000Z');
const email: Delivery = {
  status: 'queued',
  channel: 'email',
  to: 'ana@example.com',
  from: 'support@acme.test',
  subject: 'Re: Where is my order?',
  inReplyTo: '<m2@example.com>',
  references: ['<m1@example.com>', '<m2@example.com>'],
};

/** A store over a map with DynamoOutboxStore's conditions: claim queued (or stale), record under the claim, flag once per reply. */
function store(records: OutboundRecord[], sweeps: Record<string, number> = {}) {
  const items = new Map(records.map((r) => [r.messageId, r]));
  const flagged: Array<{ ticketId: string; error: string }> = [];
  const flaggedIds = new Set<string>();
  const swept: string[] = [];
  const s: OutboxStore = {
    replyContext: async () => undefined,
    getOutbound: async (id) => items.get(id),
    claimDelivery: async (id, claim) => {
      const r = items.get(id);
      const d = r?.delivery;
      if (!r || !d || !(d.status === 'queued' || (d.status === 'sending' && d.claimedAt! < claim.staleBefore))) return false;
      items.set(id, { ...r, delivery: { ...d, status: 'sending', claimId: claim.claimId, claimedAt: claim.at } });
      return true;
    },
    recordDelivery: async (id, delivery, claimId) => {
      const r = items.get(id);
      const ok = claimId ? r?.delivery.status === 'sending' && r.delivery.claimId === claimId : r?.delivery.status === 'queued';
      if (!r || !ok) return false;
      items.set(id, { ...r, delivery });
      return true;
    },
    listQueuedDeliveries: async () =>
      [...items.values()].filter((r) => r.delivery.status === 'queued' || r.delivery.status === 'sending').map((r) => ({ messageId: r.messageId, sweepCount: sweeps[r.messageId] ?? 0 })),
    markDeliverySwept: async (id) => void swept.push(id),
    flagFailedDelivery: async (ticketId, f) => {
      if (flaggedIds.has(f.messageId)) return;
      flaggedIds.add(f.messageId);
      flagged.push({ ticketId, error: f.error });
    },
  };
  return { s, items, flagged, swept };
}
const record = (delivery: Delivery = email, id = 'msg_a'): OutboundRecord => ({ messageId: id, ticketId: 'tkt_1', text: 'Shipped today.', delivery });
const senders = () => ({
  email: { sendEmail: vi.fn(async () => ({ providerMessageId: 'ses-1' })) },
  sms: { sendSms: vi.fn(async () => ({ providerMessageId: 'sms-1' })) },
});

describe('deliveryFor / replySubject', () => {
  it('prefixes Re: once and names a subject-less thread', () => {
    expect(replySubject('Where is my order?')).toBe('Re: Where is my order?');
    expect(replySubject('RE: Where is my order?')).toBe('RE: Where is my order?');
    expect(replySubject('AW: Bestellung')).toBe('AW: Bestellung');
    expect(replySubject(undefined)).toBe('Re: your message');
  });

  it('answers a thread’s first mail with References = its own id, and chat with no delivery', () => {
    const first = { channel: 'email' as const, from: 'a@b.test', providerMessageId: '<m1@b.test>', threadKey: '<m1@b.test>' };
    expect(deliveryFor(first, { auto: false })).toMatchObject({ references: ['<m1@b.test>'], inReplyTo: '<m1@b.test>' });
    expect(deliveryFor(first, { auto: false })).not.toHaveProperty('from');
    expect(deliveryFor({ ...first, channel: 'chat' }, { auto: true })).toBeUndefined();
  });
});

describe('deliverReply', () => {
  it('sends an email with its threading headers and records it sent, once', async () => {
    const { s, items } = store([record({ ...email, auto: true })]);
    const p = senders();
    expect(await deliverReply({ store: s, ...p }, { messageId: 'msg_a' }, now)).toEqual({ outcome: 'sent', providerMessageId: 'ses-1' });
    expect(p.email.sendEmail).toHaveBeenCalledWith({
      from: 'support@acme.test',
      to: 'ana@example.com',
      subject: 'Re: Where is my order?',
      text: 'Shipped today.',
      headers: [
        { name: 'In-Reply-To', value: '<m2@example.com>' },
        { name: 'References', value: '<m1@example.com> <m2@example.com>' },
        { name: 'Auto-Submitted', value: 'auto-replied' },
      ],
    });
    expect(items.get('msg_a')!.delivery).toMatchObject({ status: 'sent', providerMessageId: 'ses-1', deliveredAt: now.toISOString() });
    // The queue delivers the request again: nothing is sent twice.
    expect(await deliverReply({ store: s, ...p }, { messageId: 'msg_a' }, now)).toEqual({ outcome: 'done-before' });
    expect(p.email.sendEmail).toHaveBeenCalledTimes(1);
  });

  it('falls back to the configured senders, and refuses an email with no sender at all', async () => {
    const { from: _omit, ...noFrom } = email;
    const sms: Delivery = { status: 'queued', channel: 'sms', to: '+14155550100' };
    const { s, items, flagged } = store([record(noFrom, 'msg_e'), record(sms, 'msg_s'), record(noFrom, 'msg_n')]);
    const p = senders();
    const deps = { store: s, ...p, defaults: { emailFrom: 'help@acme.test', smsFrom: '+14155550199' } };
    await deliverReply(deps, { messageId: 'msg_e' }, now);
    expect(p.email.sendEmail).toHaveBeenCalledWith(expect.objectContaining({ from: 'help@acme.test' }));
    await deliverReply(deps, { messageId: 'msg_s' }, now);
    expect(p.sms.sendSms).toHaveBeenCalledWith({ from: '+14155550199', to: '+14155550100', text: 'Shipped today.' });
    const outcome = await deliverReply({ store: s, ...p }, { messageId: 'msg_n' }, now);
    expect(outcome).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/EMAIL_FROM/) });
    expect(items.get('msg_n')!.delivery.status).toBe('failed');
    expect(flagged).toEqual([{ ticketId: 'tkt_1', error: expect.stringMatching(/No sender address/) }]);
  });

  it('records a provider refusal as failed and flags the ticket; a transient error is thrown and not recorded', async () => {
    const { s, items, flagged } = store([record(email, 'msg_r'), record(email, 'msg_t')]);
    const p = senders();
    p.email.sendEmail.mockRejectedValueOnce(new DeliveryRejectedError('SES refused the mail: Email address is not verified.'));
    expect(await deliverReply({ store: s, ...p }, { messageId: 'msg_r' }, now)).toMatchObject({ outcome: 'failed' });
    expect(items.get('msg_r')!.delivery).toMatchObject({ status: 'failed', error: 'SES refused the mail: Email address is not verified.', failedAt: now.toISOString() });
    expect(flagged).toHaveLength(1);

    p.email.sendEmail.mockRejectedValueOnce(new Error('socket hang up'));
    await expect(deliverReply({ store: s, ...p }, { messageId: 'msg_t' }, now)).rejects.toThrow('socket hang up');
    // Left claimed: the SQS retry comes after the lease and takes it over.
    expect(items.get('msg_t')!.delivery.status).toBe('sending');
    expect(flagged).toHaveLength(1);
  });

  it('lets only one of two concurrent copies of a request call the provider', async () => {
    const { s } = store([record()]);
    const p = senders();
    let release!: () => void;
    p.email.sendEmail.mockImplementationOnce(() => new Promise((done) => (release = () => done({ providerMessageId: 'ses-1' }))));
    const first = deliverReply({ store: s, ...p }, { messageId: 'msg_a' }, now);
    await new Promise((r) => setTimeout(r, 0));
    // The second copy finds the reply claimed: it sends nothing.
    expect(await deliverReply({ store: s, ...p }, { messageId: 'msg_a' }, now)).toEqual({ outcome: 'done-before' });
    release();
    expect(await first).toMatchObject({ outcome: 'sent' });
    expect(p.email.sendEmail).toHaveBeenCalledTimes(1);
  });

  it('takes over a claim its sender left (crashed) once the lease is over, and records without the claim fields', async () => {
    const left: Delivery = { ...email, status: 'sending', claimId: 'dead', claimedAt: new Date(now.getTime() - CLAIM_LEASE_MS + 1000).toISOString() };
    const { s, items } = store([record(left)]);
    const p = senders();
    expect(await deliverReply({ store: s, ...p }, { messageId: 'msg_a' }, now)).toEqual({ outcome: 'done-before' });
    expect(await deliverReply({ store: s, ...p }, { messageId: 'msg_a' }, new Date(now.getTime() + 2000))).toMatchObject({ outcome: 'sent' });
    expect(items.get('msg_a')!.delivery).not.toHaveProperty('claimId');
    expect(items.get('msg_a')!.delivery.status).toBe('sent');
  });

  it('flags a refusal once even when its record is retried', async () => {
    const { s, flagged } = store([record()]);
    const p = senders();
    p.email.sendEmail.mockRejectedValue(new DeliveryRejectedError('SES refused the mail: bad address'));
    const lost = vi.spyOn(s, 'recordDelivery').mockRejectedValueOnce(new Error('throttled'));
    await expect(deliverReply({ store: s, ...p }, { messageId: 'msg_a' }, now)).rejects.toThrow('throttled');
    lost.mockRestore();
    // The retry comes after the lease (the SQS visibility timeout is longer): refused again, flagged once, recorded.
    expect(await deliverReply({ store: s, ...p }, { messageId: 'msg_a' }, new Date(now.getTime() + CLAIM_LEASE_MS + 1))).toMatchObject({ outcome: 'failed' });
    expect(flagged).toHaveLength(1);
  });

  it('throws for a reply that is not stored (retried rather than dropped)', async () => {
    await expect(deliverReply({ store: store([]).s, ...senders() }, { messageId: 'msg_x' }, now)).rejects.toThrow(/not in the store/);
  });
});

describe('sweepOutbox', () => {
  it('re-enqueues queued replies and gives up (failed, ticket flagged) after MAX_OUTBOX_SWEEPS', async () => {
    const { s, items, flagged, swept } = store([record(email, 'msg_1'), record(email, 'msg_2')], { msg_2: MAX_OUTBOX_SWEEPS });
    const listed = vi.spyOn(s, 'listQueuedDeliveries');
    const outbound: MessageQueue = { send: vi.fn(), sendBatch: vi.fn(async () => []) };
    expect(await sweepOutbox({ store: s, outbound }, now)).toEqual({ requeued: 1, givenUp: 1 });
    expect(listed).toHaveBeenCalledWith(new Date(now.getTime() - OUTBOX_GRACE_MS), 100);
    expect(outbound.sendBatch).toHaveBeenCalledWith([{ messageId: 'msg_1' }]);
    expect(swept).toEqual(['msg_1']);
    expect(items.get('msg_2')!.delivery).toMatchObject({ status: 'failed', error: expect.stringMatching(/DLQ/) });
    expect(flagged).toEqual([{ ticketId: 'tkt_1', error: expect.stringMatching(/Not delivered after 4 attempts/) }]);
  });

  it('does not count a re-enqueue that SQS refused', async () => {
    const { s, swept } = store([record(email, 'msg_1')]);
    const outbound: MessageQueue = { send: vi.fn(), sendBatch: vi.fn(async () => [0]) };
    expect(await sweepOutbox({ store: s, outbound }, now)).toEqual({ requeued: 0, givenUp: 0 });
    expect(swept).toEqual([]);
  });
});
