/**
 * `node --import tsx scripts/seed-knowledge-base.ts`: builds shared/knowledge/seed-articles.json
 * from `../shared/datasets/bitext_customer_support/train.csv` (instruction, intent, category,
 * response): one article per intent (27), the intent's most typical response as the body
 * (placeholders such as `{{Order Number}}` kept), keyword tags from its customer messages,
 * auto-reply off.
 *
 * The file is the body of `POST /v1/knowledge/import`, so the local stack and a deployment
 * load it the same way (see docs/knowledge-base.md):
 *   curl -X POST "$API/v1/knowledge/import" -H "authorization: Bearer $KEY" \
 *     -H 'content-type: application/json' --data-binary @shared/knowledge/seed-articles.json
 * Import is idempotent by intent, so running it twice creates nothing new.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { importArticlesInput } from '../shared/knowledge/article';
import { buildSeedArticles } from '../shared/knowledge/seed';
import { parseCsv, requireColumns } from '../shared/lib/csv';

const root = resolve(import.meta.dirname, '..');
const input = resolve(root, '../shared/datasets/bitext_customer_support/train.csv');
const rows = parseCsv(readFileSync(input, 'utf8'), input);
requireColumns(rows, ['instruction', 'intent', 'category', 'response'], input);

const articles = buildSeedArticles(
  rows.map((r) => ({ instruction: r.instruction ?? '', intent: r.intent ?? '', category: r.category ?? '', response: r.response ?? '', entityValue: r.entity_value ?? '' })),
);
// The seed must be importable as it is: fail here rather than at the first import.
const seed = importArticlesInput.parse({ articles });
const out = resolve(root, 'shared/knowledge/seed-articles.json');
writeFileSync(out, `${JSON.stringify(seed, null, 2)}\n`);
console.log(`${out}: ${seed.articles.length} articles from ${rows.length} rows`);
