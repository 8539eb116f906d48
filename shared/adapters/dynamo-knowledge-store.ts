import { DeleteCommand, GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { Article } from '../knowledge/article';
import type { KnowledgeStore } from '../knowledge/knowledge-store';
import type { Page } from '../lib/page';
import { encodeCursor, startKeyOf } from './crm-keys';
import { createDocumentClient } from './dynamo-client';
import { isConditionFailure, translate } from './dynamo-errors';

/** Item keys of an article in the crm table; gsi1 `KB` / `<id>` lists them (no Scan). */
export const knowledgeKeys = {
  article: (id: string) => ({ pk: `KB#${id}`, sk: 'ARTICLE' }),
  list: 'KB',
} as const;

/**
 * Knowledge-base articles in the crm single table. Item `KB#<id>` / `ARTICLE`; gsi1
 * `KB` / `<id>`. Updates are conditional on the version the client read, so two agents
 * editing one article cannot silently overwrite each other.
 */
export class DynamoKnowledgeStore implements KnowledgeStore {
  private readonly doc: DynamoDBDocumentClient;
  constructor(private readonly opts: { tableName: string; client?: DynamoDBDocumentClient }) {
    this.doc = opts.client ?? createDocumentClient();
  }

  private item(article: Article) {
    return { ...knowledgeKeys.article(article.id), type: 'article', gsi1pk: knowledgeKeys.list, gsi1sk: article.id, ...article };
  }

  async create(article: Article): Promise<void> {
    if (!(await this.createIfAbsent(article))) throw new ConflictError(`Article ${article.id} already exists`);
  }

  async createIfAbsent(article: Article): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.opts.tableName, Item: this.item(article), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      return translate(err, 'store the article');
    }
  }

  async get(id: string): Promise<Article | undefined> {
    try {
      const out = await this.doc.send(new GetCommand({ TableName: this.opts.tableName, Key: knowledgeKeys.article(id) }));
      return out.Item ? toArticle(out.Item) : undefined;
    } catch (err) {
      return translate(err, 'read the article');
    }
  }

  async list(opts: { limit: number; cursor?: string }): Promise<Page<Article>> {
    const start = startKeyOf(opts.cursor);
    try {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.opts.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': knowledgeKeys.list },
          Limit: opts.limit,
          ExclusiveStartKey: start,
        }),
      );
      const next = encodeCursor(out.LastEvaluatedKey);
      return { items: (out.Items ?? []).map(toArticle), ...(next ? { next } : {}) };
    } catch (err) {
      return translate(err, 'list articles');
    }
  }

  async listAll(): Promise<Article[]> {
    const all: Article[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.list({ limit: 500, ...(cursor ? { cursor } : {}) });
      all.push(...page.items);
      cursor = page.next;
    } while (cursor);
    return all;
  }

  async update(article: Article, expectedVersion: number): Promise<void> {
    try {
      // A full put rather than SET per field: the article is replaced as a whole (PUT), and
      // fields the client dropped (category, intent) must disappear.
      await this.doc.send(
        new PutCommand({
          TableName: this.opts.tableName,
          Item: this.item(article),
          ConditionExpression: 'attribute_exists(pk) AND #v = :v',
          ExpressionAttributeNames: { '#v': 'version' },
          ExpressionAttributeValues: { ':v': expectedVersion },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) {
        // Which condition failed decides the answer: gone (404) or changed meanwhile (409).
        const current = await this.get(article.id);
        if (!current) throw new NotFoundError(`No article ${article.id}`);
        throw new ConflictError(`Article ${article.id} is at version ${current.version}, not ${expectedVersion}; read it again and retry.`);
      }
      translate(err, 'update the article');
    }
  }

  async delete(id: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({ TableName: this.opts.tableName, Key: knowledgeKeys.article(id), ConditionExpression: 'attribute_exists(pk)' }),
      );
    } catch (err) {
      if (isConditionFailure(err)) throw new NotFoundError(`No article ${id}`);
      translate(err, 'delete the article');
    }
  }
}

function toArticle(item: Record<string, unknown>): Article {
  const { pk, sk, type, gsi1pk, gsi1sk, ...rest } = item;
  const a = rest as unknown as Article;
  return {
    id: a.id,
    title: a.title,
    body: a.body,
    ...(a.category !== undefined ? { category: a.category } : {}),
    ...(a.intent !== undefined ? { intent: a.intent } : {}),
    tags: a.tags ?? [],
    language: a.language,
    autoReply: a.autoReply === true,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    version: Number(a.version),
  };
}
