/** A tiny labelled set where the right label is obvious from the words. */
export const TINY_TRAIN: Array<{ text: string; label: string }> = [
  ...[
    'I was charged twice on my credit card',
    'refund the double charge on my card',
    'why is there an extra charge on my bill',
    'my card payment was charged two times',
    'the invoice shows a wrong charge',
    'please refund this charge',
  ].map((text) => ({ text, label: 'billing' })),
  ...[
    'where is my parcel, it has not been delivered',
    'the delivery of my parcel is late',
    'track my parcel delivery please',
    'my package delivery never arrived',
    'when will the parcel be delivered',
    'the courier lost my package',
  ].map((text) => ({ text, label: 'shipping' })),
  ...[
    'I forgot my password and cannot log in',
    'reset my password please',
    'I cannot log in to my account',
    'change the email on my account login',
    'my account password does not work',
    'unlock my account, login fails',
  ].map((text) => ({ text, label: 'account' })),
];

/** New phrasings, one per label. */
export const TINY_CHECKS = [
  { text: 'there is a double charge on my card, refund it', label: 'billing' },
  { text: 'my parcel delivery is late', label: 'shipping' },
  { text: 'I need to reset my account password', label: 'account' },
];
