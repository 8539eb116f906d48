import { Aws } from 'aws-cdk-lib';
import type { BucketName } from '../topology';

/**
 * Buckets get names derived from account and region, so the stateless stack can
 * refer to them without a cross-stack export. With the defaults the name holds
 * tokens; `'<AWS::AccountId>', '<AWS::Region>'` give the form cdk-nag prints.
 */
export const bucketNameFor = (name: BucketName, account: string = Aws.ACCOUNT_ID, region: string = Aws.REGION): string =>
  `switchboard-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-${account}-${region}`;
