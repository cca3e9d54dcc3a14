import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../paths';
import type { ProductionAccount } from '../emulator';

/**
 * The examples and fixtures, rewritten to the emulator's production account: each example ID
 * (a made-up VPC, listener, secret…) becomes the ID the emulator gave the same thing.
 */

/** An example or fixture file's text, every example ID replaced by the account's; the rest as written. */
export function forProductionAccount(file: string, account: ProductionAccount): Record<string, any> {
  let text = fs.readFileSync(path.resolve(PROJECT_ROOT, file), 'utf8');
  for (const [example, real] of Object.entries(exampleIds(account))) text = text.split(example).join(real);
  const environment = JSON.parse(text);
  // The emulator's zone IDs lack the Z every Route 53 zone ID has, which the zoneId rule requires
  // (gaps.ts): so the zone is looked up by name instead.
  if (environment.dnsRecord?.zoneId) {
    delete environment.dnsRecord.zoneId;
    environment.dnsRecord.zoneName = account.zoneName;
  }
  return environment;
}

/** The article's HCL fixture with the account's IDs, and its zone ID (which HCL does not check). */
export function articleHclForProductionAccount(account: ProductionAccount): string {
  let text = fs.readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'article', 'main.tf'), 'utf8');
  for (const [example, real] of Object.entries({ ...exampleIds(account), Z0123456789ABCDEFGHIJ: account.zoneId })) text = text.split(example).join(real);
  return text;
}

/** Example value (as the examples and fixtures write it) → the account's. */
function exampleIds(account: ProductionAccount): Record<string, string> {
  return {
    'vpc-0123456789abcdef0': account.vpcId,
    'subnet-0123456789abcdef0': account.subnetIds[0],
    'subnet-0123456789abcdef1': account.subnetIds[1],
    'sg-0fedcba9876543210': account.albSecurityGroupId,
    'sg-00112233445566778': account.databaseSecurityGroupId,
    // the article's tasks run in an existing security group
    'sg-0123456789abcdef0': account.tasksSecurityGroupId,
    'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef': account.httpListenerArn,
    'prod-alb-1234567890.ap-northeast-1.elb.amazonaws.com': account.albDnsName,
    // (the ALB's hosted zone stays the region's real one: the emulator's is not, gaps.ts)
    'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-password-AbCdEf': account.secrets['prod/db-password'],
    'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:staging/oidc-client-AbCdEf': account.secrets['staging/oidc-client'],
  };
}
