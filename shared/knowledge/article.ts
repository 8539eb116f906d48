import { createHash, randomUUID } from 'node:crypto';
import * as z from 'zod';

/**
 * Knowledge-base articles: canned answers an agent (or, where policy allows, the
 * pipeline) sends to a customer. Bodies keep Bitext-style `{{Order Number}}`
 * placeholders as they are; filling them is the reply's job, not the store's.
 */

/** The support categories of the shipped classifier (Bitext); an article may use any other string too. */
export const SUPPORT_CATEGORIES = [
  'ORDER',
  'REFUND',
  'ACCOUNT',
  'PAYMENT',
  'SHIPPING_ADDRESS',
  'DELIVERY',
  'INVOICE',
  'CANCELLATION_FEE',
  'CONTACT',
  'FEEDBACK',
  'NEWSLETTER',
] as const;

export interface Article {
  /** `kb_<32 hex>`. */
  id: string;
  title: string;
  body: string;
  category?: string;
  intent?: string;
  tags: string[];
  /** BCP 47-ish language code, `en` by default. */
  language: string;
  /** The article's own consent to be sent without an agent (the category policy must agree too). */
  autoReply: boolean;
  createdAt: string;
  updatedAt: string;
  /** Starts at 1; every update must name the version it read (optimistic concurrency). */
  version: number;
}

export const ARTICLE_ID = /^kb_[a-f0-9]{32}$/;
export const LIMITS = { title: 200, body: 8000, tag: 50, tags: 20, intent: 100, category: 50, importBatch: 100 } as const;

const label = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, _ . or -');

/** Editable fields of an article (create and update share them). */
export const articleFields = z.strictObject({
  title: z.string().trim().min(1).max(LIMITS.title),
  body: z.string().trim().min(1).max(LIMITS.body),
  category: label(LIMITS.category).optional(),
  intent: label(LIMITS.intent).optional(),
  tags: z.array(z.string().trim().min(1).max(LIMITS.tag)).max(LIMITS.tags).default([]),
  language: z
    .string()
    .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/, 'is not a language code')
    .default('en'),
  autoReply: z.boolean().default(false),
});
export type ArticleFields = z.infer<typeof articleFields>;

/** `POST /v1/knowledge/articles` body. */
export const createArticleInput = articleFields;
/** `PUT /v1/knowledge/articles/{id}` body: every editable field (a full replace) plus the version read. */
export const updateArticleInput = articleFields.extend({ version: z.number().int().min(1) });
export type UpdateArticleInput = z.infer<typeof updateArticleInput>;

/**
 * `POST /v1/knowledge/import` body (also the format of seed-articles.json). Each article
 * needs an `id` or an `intent`: the id is what makes a re-import land on the same item.
 */
export const importArticlesInput = z.strictObject({
  articles: z
    .array(
      articleFields
        .extend({ id: z.string().regex(ARTICLE_ID, 'is not an article id').optional() })
        .refine((a) => a.id !== undefined || a.intent !== undefined, { message: 'needs an id or an intent', path: ['id'] }),
    )
    .min(1)
    .max(LIMITS.importBatch),
});
export type ImportArticlesInput = z.infer<typeof importArticlesInput>;

export const newArticleId = (): string => `kb_${randomUUID().replaceAll('-', '')}`;

/** The id an imported article gets from its intent, so importing the seed twice creates nothing new. */
export const articleIdForIntent = (intent: string): string =>
  `kb_${createHash('sha256').update(`intent\n${intent}`, 'utf8').digest('hex').slice(0, 32)}`;

/** A new article (version 1) from validated fields. */
export function buildArticle(fields: ArticleFields, now: Date, id: string = newArticleId()): Article {
  const at = now.toISOString();
  return { id, ...fields, createdAt: at, updatedAt: at, version: 1 };
}

/** The article after a full replace of its editable fields; the version moves on by one. */
export function applyUpdate(current: Article, input: UpdateArticleInput, now: Date): Article {
  const { version: _read, ...fields } = input;
  return { id: current.id, ...fields, createdAt: current.createdAt, updatedAt: now.toISOString(), version: current.version + 1 };
}
