/**
 * The one declaration of Switchboard's resources. The CDK stacks (infra/stacks)
 * and the local runtime (infra/local) both read this module, so a function's
 * entry, memory, timeout, trigger and bindings are stated exactly once.
 */

export type TableName = 'crm' | 'reporting';
export type QueueName = 'routing' | 'outbound';
export type BucketName = 'rawMail' | 'models';
export type TopicName = 'inboundSms';

import type { Role } from '../shared/domain/roles';
export type { Role };

/** An HTTP route served by API Gateway (HTTP API, payload v2) or locally. */
export interface HttpRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** API Gateway route path, e.g. `/v1/tickets/{id}`. */
  path: string;
  /** Roles allowed through the authorizer; `public` routes skip it. */
  auth: 'public' | readonly Role[];
}

/**
 * A Lambda event-filter pattern (FilterCriteria pattern syntax): an object matches when every key
 * matches; a list holds the alternatives for a leaf, each a value or `{ exists: boolean }`. The
 * local runtime matches exactly this subset (infra/local/event-filter.ts).
 */
export interface FilterPattern {
  readonly [key: string]: FilterPattern | readonly FilterValue[];
}
export type FilterValue = string | number | boolean | null | { readonly exists: boolean };

/** Lambda's DynamoDB event source mapping on a table's stream. */
export interface StreamTrigger {
  kind: 'stream';
  table: TableName;
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Retries of a failing batch before it is recorded on the table's on-failure queue and skipped. */
  retryAttempts: number;
  /** Which records invoke the function at all (others are dropped unbilled). */
  filter: FilterPattern;
}

export type Trigger =
  | { kind: 'http'; routes: readonly HttpRoute[] }
  | { kind: 'queue'; queue: QueueName; batchSize: number; maxBatchingWindowSeconds: number }
  | StreamTrigger
  | { kind: 'schedule'; /** EventBridge Scheduler expression: `rate(...)`, or `cron(...)` in UTC. */ expression: string }
  | { kind: 'authorizer' }
  /** SES receipt rule: raw MIME stored to the rawMail bucket, then this function invoked. */
  | { kind: 'ses' }
  /** Inbound SMS published by AWS End User Messaging to an SNS topic. */
  | { kind: 'sns'; topic: TopicName };

export interface FunctionSpec {
  /** Handler module, relative to the repository root; exports `handler`. */
  entry: string;
  description: string;
  memoryMb: number;
  timeoutSeconds: number;
  trigger: Trigger;
  /** Resources the function reads/writes; each binding sets an env var and grants access. */
  tables?: Partial<Record<TableName, 'read' | 'readWrite'>>;
  sends?: readonly QueueName[];
  buckets?: Partial<Record<BucketName, 'read' | 'readWrite'>>;
  /**
   * May call Amazon Comprehend's detect APIs; the stack then also passes the
   * `switchboard:sentimentEngine` context as SENTIMENT_ENGINE (builtin unless set).
   */
  comprehend?: boolean;
  /** Deployment settings (see `settings`) the stack passes to the function as env vars when set. */
  settings?: readonly SettingName[];
  /** Providers it sends through: the stack grants SES `SendEmail` and End User Messaging `SendTextMessage`. */
  delivers?: readonly ('email' | 'sms')[];
}

/**
 * Per-deployment settings: a CDK context key (`cdk.json` or `-c key=value`) and the env
 * var the functions read. Unset settings leave the function's own default.
 */
export const settings = {
  timeZone: { context: 'switchboard:timeZone', env: 'REPORTING_TIME_ZONE' },
  holidayCountry: { context: 'switchboard:holidayCountry', env: 'FORECAST_COUNTRY' },
  holidayRegion: { context: 'switchboard:holidayRegion', env: 'FORECAST_REGION' },
  averageHandleSeconds: { context: 'switchboard:averageHandleSeconds', env: 'STAFFING_AHT_SECONDS' },
  /** Sender of email replies when the customer's mail named no address of ours (a verified SES identity). */
  emailFrom: { context: 'switchboard:emailFrom', env: 'EMAIL_FROM' },
  /** SES configuration set for replies (event publishing, dedicated IPs). */
  emailConfigurationSet: { context: 'switchboard:emailConfigurationSet', env: 'EMAIL_CONFIGURATION_SET' },
  /** SMS origination identity (number, pool or sender id) when the inbound SMS named none. */
  smsOriginationIdentity: { context: 'switchboard:smsOriginationIdentity', env: 'SMS_ORIGINATION_IDENTITY' },
} as const;
export type SettingName = keyof typeof settings;

/** What a GSI copies of each item: everything, only the keys, or the keys plus some attributes. */
export type IndexProjection = 'ALL' | 'KEYS_ONLY' | { include: readonly string[] };

export interface IndexSpec {
  name: string;
  partitionKey: string;
  sortKey: string;
  /** ALL when omitted. An update that changes no projected attribute writes nothing to the index. */
  projection?: IndexProjection;
}

export interface TableSpec {
  partitionKey: string;
  sortKey: string;
  indexes: readonly IndexSpec[];
  /** Attribute holding an epoch-seconds expiry, if items may expire. */
  ttlAttribute?: string;
  /**
   * A DynamoDB stream of item changes (NEW_IMAGE: the item after the change), consumed by `stream`
   * triggers; batches they give up on are recorded on the on-failure queue, alarmed like a DLQ.
   */
  stream?: { viewType: 'NEW_IMAGE'; onFailure: { retentionDays: number; whatBreaks: string } };
}

export interface QueueSpec {
  /** Retries before a message moves to the queue's dead-letter queue. */
  maxReceiveCount: number;
  /** Retention of the DLQ, long enough for an operator to redrive. */
  dlqRetentionDays: number;
  /** What breaks when this queue's DLQ fills: goes into the alarm description. */
  whatBreaks: string;
}

const gsi = (n: number): IndexSpec => ({ name: `gsi${n}`, partitionKey: `gsi${n}pk`, sortKey: `gsi${n}sk` });

export const tables: Record<TableName, TableSpec> = {
  // gsi1: small lists (ALL); gsi2: messages by the day received, set once (KEYS_ONLY);
  // gsi3: work lists (tickets, outbox): the few fields a list filters on, so a ticket's other
  // changes (its latest message, preview, priority reasons) never write the index. Roles: crm-keys.ts.
  crm: {
    partitionKey: 'pk',
    sortKey: 'sk',
    // gsi2 sorts by the message's own `receivedAt`: no copy of it on every message.
    indexes: [gsi(1), { ...gsi(2), sortKey: 'receivedAt', projection: 'KEYS_ONLY' }, { ...gsi(3), projection: { include: ['status', 'messageId', 'sweepCount'] } }],
    ttlAttribute: 'expiresAt',
    // The outbox of the inbound pipeline: a stored message reaches classify through the stream.
    stream: {
      viewType: 'NEW_IMAGE',
      onFailure: {
        retentionDays: 14,
        whatBreaks: 'Inbound messages failed classification after every retry: they wait for the sweeper (5 minutes, 3 times), then for an operator (STUCK list).',
      },
    },
  },
  // TTL: the message text samples behind need analysis expire (see shared/analytics/text-samples.ts).
  reporting: { partitionKey: 'pk', sortKey: 'sk', indexes: [gsi(1)], ttlAttribute: 'expiresAt' },
};

export const queues: Record<QueueName, QueueSpec> = {
  routing: {
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
    whatBreaks: 'Classified messages are not being routed: tickets are not created or updated.',
  },
  outbound: {
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
    whatBreaks: 'Replies to customers are not being delivered.',
  },
};

export interface BucketSpec {
  /** Objects expire this many days after creation; absent: kept. */
  expireAfterDays?: number;
  /** S3 versioning: every overwrite keeps the previous object. */
  versioned?: boolean;
  /**
   * Readers look up keys that may not exist yet (e.g. `current.json` before the first
   * promotion): bindings also grant ListBucket, so S3 answers 404 rather than 403.
   */
  readsMissingKeys?: boolean;
}

export const buckets: Record<BucketName, BucketSpec> = {
  rawMail: { expireAfterDays: 90 },
  // Retrained support models (one object per version, `current.json` pointers) and the retrain job's decisions.
  models: { versioned: true, readsMissingKeys: true },
};

export const topics: Record<TopicName, { description: string }> = {
  inboundSms: { description: 'Inbound SMS from AWS End User Messaging (two-way SMS)' },
};

/** Prefix under which the SES receipt rule stores raw MIME in the rawMail bucket. */
export const RAW_MAIL_PREFIX = 'inbound/';

const AGENT: readonly Role[] = ['admin', 'manager', 'agent'];
const MANAGER: readonly Role[] = ['admin', 'manager'];
const ADMIN: readonly Role[] = ['admin'];

export const functions = {
  authorizer: {
    entry: 'functions/api/authorizer.ts',
    description: 'Checks API keys (hashed in the crm table) and their role for each route',
    memoryMb: 256,
    timeoutSeconds: 5,
    trigger: { kind: 'authorizer' },
    tables: { crm: 'read' },
  },
  chat: {
    entry: 'functions/channels/chat.ts',
    description: 'Web chat: visitors post messages and read their thread',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        { method: 'POST', path: '/v1/channels/chat/messages', auth: 'public' },
        { method: 'GET', path: '/v1/channels/chat/sessions/{sessionId}/messages', auth: 'public' },
      ],
    },
    tables: { crm: 'readWrite' },
  },
  email: {
    entry: 'functions/channels/email.ts',
    description: 'Email: reads the raw MIME that the SES receipt rule stored and accepts the message',
    memoryMb: 512,
    timeoutSeconds: 30,
    trigger: { kind: 'ses' },
    tables: { crm: 'readWrite' },
    buckets: { rawMail: 'read' },
  },
  sms: {
    entry: 'functions/channels/sms.ts',
    description: 'SMS: accepts two-way SMS published to the inbound SMS topic',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: { kind: 'sns', topic: 'inboundSms' },
    tables: { crm: 'readWrite' },
  },
  classify: {
    entry: 'functions/pipeline/classify.ts',
    description: 'Classifies inbound messages (language, sentiment, urgency) and passes them to routing',
    memoryMb: 512,
    timeoutSeconds: 30,
    // The crm table's stream is the outbox relay: intake stores the message and nothing else, and
    // Lambda's event source mapping hands classify the messages still waiting to be routed: an
    // intake Put (INSERT), a sweep or a client retry (a MODIFY that changes an attribute), routing
    // taking a message back (`unroute`: routed → received). Routing's own writes (routed, stuck),
    // replies and every other item are filtered out before Lambda is invoked, and not billed.
    // `stuck` is tested on its leaf (`BOOL`): `exists` only matches leaves, so `{ exists: false }` on
    // the attribute itself would pass every image (the attribute names are the message item's: crm-items.ts).
    // Batching window 0 (chat is live; docs/architecture.md "Latency and batching windows"): the
    // mapping polls the shard 4 times a second and invokes with what it read, up to 10 records.
    // Retries: a failing batch is retried (bisected, from the lowest failed record) 5 times, then
    // recorded on the on-failure queue; the message stays `received` for the sweeper.
    trigger: {
      kind: 'stream',
      table: 'crm',
      batchSize: 10,
      maxBatchingWindowSeconds: 0,
      retryAttempts: 5,
      filter: {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { NewImage: { direction: { S: ['inbound'] }, status: { S: ['received'] }, stuck: { BOOL: [{ exists: false }] } } },
      },
    },
    sends: ['routing'],
    // The promoted support models, read once at cold start (the shipped ones when none).
    buckets: { models: 'read' },
    comprehend: true,
  },
  route: {
    entry: 'functions/pipeline/route.ts',
    description: 'Resolves the customer, threads the message into a ticket, sets its priority, suggests answers and auto-replies',
    memoryMb: 512,
    timeoutSeconds: 30,
    // No batching window, on purpose: chat is live. Lambda's SQS event source mapping long-polls the
    // queue and, with no window (MaximumBatchingWindowInSeconds 0, the default), invokes as soon as a
    // receive returns records; a window of W s holds a record up to W s, on a quiet queue the whole W
    // (docs/architecture.md "Latency and batching windows").
    trigger: { kind: 'queue', queue: 'routing', batchSize: 10, maxBatchingWindowSeconds: 0 },
    // crm: tickets and messages, and the knowledge-base articles (KB# items) it matches against.
    settings: ['timeZone'],
    tables: { crm: 'readWrite', reporting: 'readWrite' },
    // Auto-replies on email and SMS go to the deliver function.
    sends: ['outbound'],
  },
  deliver: {
    entry: 'functions/pipeline/deliver.ts',
    description: 'Delivers replies on email (SES) and SMS (End User Messaging) from the outbound queue, once each',
    memoryMb: 256,
    timeoutSeconds: 30,
    // A 1 s window, on purpose: replies leave by email and SMS, where a second is not seen, and
    // replies that come in bursts (auto-replies under load) share invocations. Chat replies do not
    // pass here.
    trigger: { kind: 'queue', queue: 'outbound', batchSize: 10, maxBatchingWindowSeconds: 1 },
    tables: { crm: 'readWrite' },
    delivers: ['email', 'sms'],
    settings: ['emailFrom', 'emailConfigurationSet', 'smsOriginationIdentity'],
  },
  sweeper: {
    entry: 'functions/pipeline/sweeper.ts',
    description: 'Hands messages stored but not routed back to classify, and re-enqueues replies queued but not delivered, after a grace period',
    memoryMb: 256,
    timeoutSeconds: 60,
    trigger: { kind: 'schedule', expression: 'rate(5 minutes)' },
    tables: { crm: 'readWrite' },
    // Messages go back to classify by the crm stream (the sweep's own update); replies by the queue.
    sends: ['outbound'],
  },
  tickets: {
    entry: 'functions/api/tickets.ts',
    description: 'Agents read tickets, their messages and the priority queue, and update tickets (status, category, assignee)',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/v1/tickets', auth: AGENT },
        { method: 'GET', path: '/v1/tickets/{id}', auth: AGENT },
        { method: 'GET', path: '/v1/queue', auth: AGENT },
        { method: 'PATCH', path: '/v1/tickets/{id}', auth: AGENT },
        { method: 'POST', path: '/v1/tickets/{id}/replies', auth: AGENT },
        // Survey tools (integration) or agents record the customer's CSAT answer.
        { method: 'POST', path: '/v1/tickets/{id}/rating', auth: ['admin', 'manager', 'agent', 'integration'] },
      ],
    },
    tables: { crm: 'readWrite', reporting: 'readWrite' },
    // Agents' replies on email and SMS go to the deliver function.
    sends: ['outbound'],
  },
  reports: {
    entry: 'functions/api/reports.ts',
    description: 'Managers read KPI rows and forecasts from the reporting table (JSON or CSV)',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/v1/reports/kpis', auth: MANAGER },
        { method: 'GET', path: '/v1/reports/forecasts', auth: MANAGER },
        { method: 'GET', path: '/v1/reports/needs', auth: MANAGER },
      ],
    },
    tables: { reporting: 'read' },
  },
  metrics: {
    entry: 'functions/api/metrics.ts',
    description: 'Integrators report visits, orders, marketing cost and data-quality checks for the KPI indices',
    memoryMb: 256,
    timeoutSeconds: 15,
    trigger: { kind: 'http', routes: [{ method: 'POST', path: '/v1/metrics/events', auth: ['admin', 'integration'] }] },
    tables: { reporting: 'readWrite' },
  },
  kpis: {
    entry: 'functions/jobs/kpis.ts',
    description: 'Rolls up routed messages into counters and recomputes the KPI rows of recent periods',
    memoryMb: 512,
    timeoutSeconds: 120,
    // 16 past the hour: the hour before closed a minute ago (CLOSE_MARGIN_MINUTES, 15), so it is
    // read once, closed; only the current hour's first 16 minutes are read live as well. (At a
    // random minute, as `rate(1 hour)` runs, every message was read live once or twice more.)
    trigger: { kind: 'schedule', expression: 'cron(16 * * * ? *)' },
    settings: ['timeZone'],
    tables: { reporting: 'readWrite', crm: 'read' },
  },
  forecasts: {
    entry: 'functions/jobs/forecasts.ts',
    description: 'Forecasts inbound volume per channel with its accuracy, and staffing per hour (Erlang C)',
    memoryMb: 1024,
    timeoutSeconds: 300,
    trigger: { kind: 'schedule', expression: 'rate(1 day)' },
    settings: ['timeZone', 'holidayCountry', 'holidayRegion', 'averageHandleSeconds'],
    tables: { reporting: 'readWrite' },
  },
  needs: {
    entry: 'functions/jobs/needs.ts',
    description: 'Need analysis: top terms per category and channel, and topics, of recent periods',
    memoryMb: 1024,
    timeoutSeconds: 600,
    trigger: { kind: 'schedule', expression: 'rate(1 day)' },
    settings: ['timeZone'],
    // crm read: the messages of hours the KPI job has not rolled up yet (their samples).
    tables: { reporting: 'readWrite', crm: 'read' },
  },
  retrain: {
    entry: 'functions/jobs/retrain.ts',
    description: 'Retrains the support models from the shipped data plus agents\' corrections and promotes them if not worse',
    memoryMb: 1024,
    timeoutSeconds: 300,
    trigger: { kind: 'schedule', expression: 'rate(1 day)' },
    tables: { crm: 'read' },
    buckets: { models: 'readWrite' },
  },
  apiKeys: {
    entry: 'functions/api/api-keys.ts',
    description: 'Admins create, list and revoke API keys',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/v1/api-keys', auth: ADMIN },
        { method: 'POST', path: '/v1/api-keys', auth: ADMIN },
        { method: 'DELETE', path: '/v1/api-keys/{id}', auth: ADMIN },
      ],
    },
    tables: { crm: 'readWrite' },
  },
  knowledge: {
    entry: 'functions/api/knowledge.ts',
    description: 'Knowledge base of canned answers (CRUD, import) and answer suggestions for a message',
    memoryMb: 512,
    timeoutSeconds: 15,
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/v1/knowledge/articles', auth: AGENT },
        { method: 'POST', path: '/v1/knowledge/articles', auth: MANAGER },
        { method: 'GET', path: '/v1/knowledge/articles/{id}', auth: AGENT },
        { method: 'PUT', path: '/v1/knowledge/articles/{id}', auth: MANAGER },
        { method: 'DELETE', path: '/v1/knowledge/articles/{id}', auth: MANAGER },
        { method: 'POST', path: '/v1/knowledge/import', auth: MANAGER },
        { method: 'POST', path: '/v1/knowledge/suggest', auth: AGENT },
      ],
    },
    tables: { crm: 'readWrite' },
  },
  orders: {
    entry: 'functions/api/orders.ts',
    description: 'ERP and shop systems import order lines (CSV or JSON), stored as one item per invoice',
    memoryMb: 1024,
    timeoutSeconds: 28,
    trigger: { kind: 'http', routes: [{ method: 'POST', path: '/v1/orders/import', auth: ['admin', 'integration'] }] },
    tables: { crm: 'readWrite' },
  },
  customerModels: {
    entry: 'functions/jobs/customer-models.ts',
    description: 'Runs the customer models (demand, segments, value, churn, recommendations) on recent orders',
    memoryMb: 2048,
    timeoutSeconds: 600,
    trigger: { kind: 'schedule', expression: 'rate(1 day)' },
    // crm readWrite: linked customers' derived tier (modelTier on the profile).
    tables: { crm: 'readWrite', reporting: 'readWrite' },
  },
  customerReports: {
    entry: 'functions/api/customer-reports.ts',
    description: 'Managers read the customer models (segments, metrics vs baselines, one customer) and allocate a budget across channels',
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/v1/reports/customers', auth: MANAGER },
        { method: 'GET', path: '/v1/reports/customers/{customerId}', auth: MANAGER },
        { method: 'POST', path: '/v1/reports/channel-allocation', auth: MANAGER },
      ],
    },
    tables: { reporting: 'read' },
  },
  customers: {
    entry: 'functions/api/customers.ts',
    description: "Customer profiles with their tier; managers set the tier and link the shop's customer id",
    memoryMb: 256,
    timeoutSeconds: 10,
    trigger: {
      kind: 'http',
      routes: [
        { method: 'GET', path: '/v1/customers/{id}', auth: AGENT },
        { method: 'PATCH', path: '/v1/customers/{id}', auth: MANAGER },
      ],
    },
    // reporting: the linked shop customer's model facts.
    tables: { crm: 'readWrite', reporting: 'read' },
  },
} satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functions;

/** Environment variable that carries a bound resource's name (or URL) to a function. */
export const envVar = {
  table: (t: TableName) => `${t.toUpperCase()}_TABLE`,
  queue: (q: QueueName) => `${q.toUpperCase()}_QUEUE_URL`,
  bucket: (b: BucketName) => `${b.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}_BUCKET`,
} as const;

/** Every function spec, typed loosely for iteration. */
export const functionList = (): Array<[FunctionName, FunctionSpec]> =>
  Object.entries(functions) as Array<[FunctionName, FunctionSpec]>;
