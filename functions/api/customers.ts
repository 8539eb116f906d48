import * as z from 'zod';
import { CUSTOMER_TIERS, type CustomerTierFacts } from '../../shared/customers/customer-tier';
import { customerProfile } from '../../shared/customers/customer-profile';
import { planCustomerUpdate } from '../../shared/customers/update-customer';
import { NotFoundError } from '../../shared/domain/errors';
import { httpRoutes, json, parseJsonBody, parsePath, type HttpEvent } from '../lib/http';
import { crmStore, customerModelStore } from '../lib/services';

const store = crmStore();
const models = customerModelStore();

const customerPath = z.object({ id: z.string().regex(/^cus_[a-f0-9]{32}$/, 'is not a customer id') });
const patchBody = z.strictObject({
  tier: z.enum(CUSTOMER_TIERS, { error: 'must be "vip", "standard" or null (null clears it)' }).nullable().optional(),
  shopCustomerId: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, "must be the shop's customer id (1–64 of A-Za-z0-9_.:-) or null to unlink")
    .nullable()
    .optional(),
});

/** The customer and its tier, with the linked shop customer's model facts (404 when unknown). */
async function profileOf(customerId: string) {
  const found = await store.getCustomerWithTier(customerId);
  if (!found) throw new NotFoundError(`No customer ${customerId}.`);
  return shape(found.customer, found.tier);
}

async function shape(customer: Parameters<typeof customerProfile>[0], facts: CustomerTierFacts) {
  const model = facts.shopCustomerId !== undefined ? await models.getCustomerModel(facts.shopCustomerId) : undefined;
  return customerProfile(customer, facts, model);
}

const keyOf = (event: HttpEvent) => event.requestContext.authorizer?.lambda?.keyId ?? 'unknown';

/** Customer profiles with their tier; managers set the tier and link the shop's customer id. */
export const handler = httpRoutes({
  'GET /v1/customers/{id}': async (event) => {
    const { id } = parsePath(event, customerPath);
    return json(200, await profileOf(id));
  },
  'PATCH /v1/customers/{id}': async (event) => {
    const { id } = parsePath(event, customerPath);
    const body = parseJsonBody(event, patchBody, 4 * 1024);
    const found = await store.getCustomerWithTier(id);
    if (!found) throw new NotFoundError(`No customer ${id}.`);
    const change = planCustomerUpdate(id, found.tier, body, { now: new Date(), by: keyOf(event) });
    await store.updateCustomerTier(change);
    // Read back (consistent): the answer is what routing will see.
    return json(200, await profileOf(id));
  },
});
