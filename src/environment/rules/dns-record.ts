import { DOMAIN_NAME, DOMAIN_NAME_MAX_LENGTH, SET_IDENTIFIER_LENGTH, WEIGHT } from '../../aws/route53';
import { INT32_MAX, integerBetween, referenceRule, stringRule } from './rule';

// Route 53 ResourceRecordSet, TTL: 0–2147483647 seconds.
export const ttl = () => integerBetween(0, INT32_MAX);

export const weight = () => integerBetween(WEIGHT.min, WEIGHT.max);

export const setIdentifier = stringRule(
  `must be ${SET_IDENTIFIER_LENGTH.min}–${SET_IDENTIFIER_LENGTH.max} characters`,
  (v) => v.length >= SET_IDENTIFIER_LENGTH.min && v.length <= SET_IDENTIFIER_LENGTH.max,
  new RegExp(`^[\\s\\S]{${SET_IDENTIFIER_LENGTH.min},${SET_IDENTIFIER_LENGTH.max}}$`),
);

const isDomainName = (v: string) => v.length <= DOMAIN_NAME_MAX_LENGTH && DOMAIN_NAME.test(v);
const DOMAIN_NAME_PATTERN = new RegExp(`^(?=.{1,${DOMAIN_NAME_MAX_LENGTH}}$)${DOMAIN_NAME.source.slice(1)}`);
export const domainName = stringRule('must be a DNS name like stg-api.example.com', isDomainName, DOMAIN_NAME_PATTERN);

/** The record's target, the production ALB's DNS name: a name, or a reference to it (e.g. `${data.aws_lb.production.dns_name}`). */
export const domainTarget = referenceRule('must be a DNS name like prod-alb-123456789.ap-northeast-1.elb.amazonaws.com', isDomainName, DOMAIN_NAME_PATTERN);
