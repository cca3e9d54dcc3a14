import { INT32_MAX, integerBetween, referenceRule, stringRule } from './rule';

// Route 53 ResourceRecordSet, TTL: 0–2147483647 seconds.
export const ttl = () => integerBetween(0, INT32_MAX);

// Route 53 WeightedRoutingPolicy, Weight: 0–255.
export const weight = () => integerBetween(0, 255);

// Route 53 ResourceRecordSet, SetIdentifier: 1–128 characters, required for weighted records.
export const setIdentifier = stringRule('must be 1–128 characters', (v) => v.length >= 1 && v.length <= 128, /^[\s\S]{1,128}$/);

// RFC 1035 / Route 53 DNS domain name format: labels of letters, digits, hyphens (and "*" as the leftmost label), up to 255 characters.
export const DOMAIN_NAME = /^(?:\*\.)?(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}\.?$/;
export const domainName = stringRule(
  'must be a DNS name like stg-api.example.com',
  (v) => v.length <= 255 && DOMAIN_NAME.test(v),
  new RegExp(`^(?=.{1,255}$)${DOMAIN_NAME.source.slice(1)}`),
);

/** Whether a record name lies inside (or at the apex of) a zone. */
export function isInsideZone(record: string, zone: string): boolean {
  const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');
  return normalize(record) === normalize(zone) || normalize(record).endsWith(`.${normalize(zone)}`);
}

/** The record's target, the production ALB's DNS name: a name, or a reference to it (e.g. `${data.aws_lb.production.dns_name}`). */
export const domainTarget = referenceRule('must be a DNS name like prod-alb-123456789.ap-northeast-1.elb.amazonaws.com', (v) => v.length <= 255 && DOMAIN_NAME.test(v), new RegExp(`^(?=.{1,255}$)${DOMAIN_NAME.source.slice(1)}`));
