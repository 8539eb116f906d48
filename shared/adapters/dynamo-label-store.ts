import type { LabelledExample, LabelStore } from '../classify/label-store';
import type { Page } from '../lib/page';
import { keys } from './crm-keys';
import { CrmAdapter } from './crm-table';

/** Agents' category corrections in the crm table (keys: crm-keys.ts), for retraining. */
export class DynamoLabelStore extends CrmAdapter implements LabelStore {
  async listLabelledExamples(opts: { limit: number; cursor?: string }): Promise<Page<LabelledExample>> {
    const page = await this.crm.page({ index: 'gsi1', pk: keys.labels, ...opts }, 'list labelled examples');
    const items = page.items.map(({ pk, sk, type, gsi1pk, gsi1sk, ...rest }) => rest as unknown as LabelledExample);
    return { items, ...(page.next ? { next: page.next } : {}) };
  }
}
