import { describe, expect, it } from 'vitest';
import { stripQuotedReply } from '../../../shared/channels/email-quotes';

describe('stripQuotedReply', () => {
  it.each([
    ['Gmail attribution', 'Thanks!\n\nOn Mon, 1 Jan 2026 at 10:00, Bob <b@x.example> wrote:\n> hi', 'Thanks!'],
    ['attribution wrapped over two lines', 'Thanks!\n\nOn Mon, 1 Jan 2026 at 10:00, Shop Support <support@shop.example>\nwrote:\n\n> hi', 'Thanks!'],
    ['Original Message separator', 'Yes please.\n-----Original Message-----\nFrom: x\nSent: y', 'Yes please.'],
    ['Outlook header block', 'Done.\r\n\r\nFrom: Support <s@x.example>\r\nSent: Monday\r\nTo: me\r\nSubject: RE: y\r\n\r\nold', 'Done.'],
    ['Outlook rule and block', 'Done.\n\n________________________________\nFrom: S <s@x.example>\nSent: Monday\nTo: me\nSubject: y\nold', 'Done.'],
    ['French attribution', 'Ok\nLe lun. 1 janv. 2026 à 10:00, Bob <b@x.example> a écrit :\n> salut', 'Ok'],
    ['German attribution', 'Danke\nAm Mo., 1. Jan. 2026 um 10:00 Uhr schrieb Bob <b@x.example>:\n> hallo', 'Danke'],
    ['interleaved > lines', 'Line one\n> quoted\nLine two', 'Line one\nLine two'],
  ])('%s', (_name, input, expected) => expect(stripQuotedReply(input)).toBe(expected));

  it('keeps a message that is only a quote rather than emptying it', () => {
    expect(stripQuotedReply('> just this')).toBe('> just this');
  });

  it('keeps a sentence that merely starts with "From:" or mentions writing', () => {
    const text = 'From: my phone I cannot log in\nOn Monday I wrote: the app crashed\nPlease help';
    expect(stripQuotedReply(text)).toBe(text);
  });

  it('keeps a forwarded Outlook message the customer wants us to read', () => {
    const text = 'See below.\n\nFrom: Courier <c@x.example>\nSent: Monday\nTo: me\nSubject: FW: parcel lost\nWe lost it.';
    expect(stripQuotedReply(text)).toBe(text);
  });

  it.each([
    ['Gmail', '---------- Forwarded message ---------\nFrom: Shop <orders@shop.example>\nDate: Mon, 23 Nov 2026 at 10:00\nSubject: Your order #1042\nTo: <ana@example.com>'],
    ['Apple Mail', 'Begin forwarded message:\n\nFrom: Shop <orders@shop.example>\nSubject: Your order #1042\nDate: 23 November 2026 at 10:00:00 GMT\nTo: ana@example.com'],
    ['German Gmail', '---------- Weitergeleitete Nachricht ---------\nVon: Shop <orders@shop.example>\nDate: Mo., 23. Nov. 2026 um 10:00 Uhr\nSubject: Bestellung\nTo: <ana@example.com>'],
  ])('keeps a %s forward whole, though its header block looks like a reply header', (_client, forward) => {
    const text = `Please look at this.\n\n${forward}\n\nYour order has shipped.\n> quoted in the original`;
    expect(stripQuotedReply(text)).toBe(text);
  });

  it('still strips the quote of a reply whose history contains a forward', () => {
    expect(stripQuotedReply('Thanks!\n\nOn Mon, 1 Jan 2026, Bob <b@x.example> wrote:\n> ---------- Forwarded message ---------')).toBe('Thanks!');
  });

  it('does not strip signatures', () => {
    expect(stripQuotedReply('Help!\n-- \nAna\nSent from my phone')).toBe('Help!\n-- \nAna\nSent from my phone');
  });
});
