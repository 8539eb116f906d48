/**
 * The customer-model results the scheduled job stores in the reporting table. Here, below
 * analytics, because the customer tiers read them (a model tier comes from a record).
 */

/** A model's held-out comparison against its baseline, or why there is none. */
export type ModelOutcome<T> = ({ status: 'ok' } & T) | { status: 'skipped'; reason: string };

/** The summary of one run of the customer-models job (`MODEL#customers` / run day and `LATEST`). */
export interface CustomerModelSummary {
  runDay: string;
  generatedAt: string;
  /** Last order day used (the models run as of its end); null when nothing was modelled. */
  asOf: string | null;
  status: 'ok' | 'insufficient-data';
  reason?: string;
  window: { months: string[]; orders: number; lines: number; linesKept: number; dropped: Record<string, number> };
  customers: number;
  products: number;
  /** Each model with its metrics and baseline comparison. */
  models: Record<string, ModelOutcome<Record<string, unknown>>>;
}

/** One customer's latest model results (`CUSTOMER#<id>` / `MODEL`). Kept small on purpose. */
export interface CustomerModelRecord {
  customerId: string;
  runDay: string;
  asOf: string;
  country: string;
  profile: { recencyDays: number; invoices: number; netSpend: number };
  segment: { id: number; name: string } | null;
  /** Net spend expected in the next 60 days (demand model). */
  predictedSpend60d: number | null;
  /** Net spend expected in the next 90 days (customer value regression). */
  predictedValue90d: number | null;
  /** P(no purchase in the next 90 days); null for a customer with no purchase yet. */
  churnRisk: number | null;
  recommendations: Array<{ stockCode: string; description: string; score: number }>;
}

/** Where the customer-models job puts its results (the reporting table). */
export interface CustomerModelStore {
  /** Upserts customer items (same customer → same item). */
  putCustomerModels(records: readonly CustomerModelRecord[]): Promise<void>;
  /** Stores a run's summary under its day and as the latest. */
  putSummary(summary: CustomerModelSummary): Promise<void>;
  getLatestSummary(): Promise<CustomerModelSummary | undefined>;
  /** The summary of the run made on `runDay` (YYYY-MM-DD), if any. */
  getSummary(runDay: string): Promise<CustomerModelSummary | undefined>;
  getCustomerModel(customerId: string): Promise<CustomerModelRecord | undefined>;
}
