import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { toInboundMessage } from './crm-items';

/** An item image of a crm stream record, in DynamoDB's attribute-value JSON (as Lambda passes it). */
export type StreamImage = Record<string, unknown>;

/**
 * The inbound message a crm stream record's new image holds, mapped like the store reads it
 * (crm-items.ts). Unchecked: the caller validates it, since the image is whatever was written.
 */
export function inboundMessageOfImage(image: StreamImage): unknown {
  return toInboundMessage(unmarshall(image as Record<string, AttributeValue>));
}
