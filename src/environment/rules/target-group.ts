import { DEREGISTRATION_DELAY, HEALTH_CHECK_INTERVAL, HEALTH_CHECK_PATH, HEALTH_CHECK_TIMEOUT, PORT, TARGET_GROUP_NAME, TARGET_GROUP_NAME_RULE, THRESHOLD } from '../../aws/elb';
import { integerBetween, stringRule } from './rule';

export const targetGroupName = stringRule(TARGET_GROUP_NAME_RULE, (v) => TARGET_GROUP_NAME.test(v), TARGET_GROUP_NAME);
/** Load balancer names follow the same ELBv2 rule. */
export const loadBalancerName = targetGroupName;

export const port = () => integerBetween(PORT.min, PORT.max);
export const deregistrationDelay = () => integerBetween(DEREGISTRATION_DELAY.min, DEREGISTRATION_DELAY.max);
export const healthCheckPath = stringRule(
  'must start with "/" and be at most 1024 characters of a URL path: letters, digits and -._~%!$&\'()*+,;=:@/? (encode anything else as %XX)',
  (v) => HEALTH_CHECK_PATH.test(v),
  HEALTH_CHECK_PATH,
);
export const healthCheckInterval = () => integerBetween(HEALTH_CHECK_INTERVAL.min, HEALTH_CHECK_INTERVAL.max);
// Less than the interval too, checked across fields.
export const healthCheckTimeout = () => integerBetween(HEALTH_CHECK_TIMEOUT.min, HEALTH_CHECK_TIMEOUT.max);
export const threshold = () => integerBetween(THRESHOLD.min, THRESHOLD.max);

// ELBv2 Matcher, HttpCode for ALB: 200–499, as "200", "200,202" or "200-299". A range stays below
// 400: "200-499" would call a task answering 404 for every path (a wrong image, a broken route)
// healthy, and a deploy would never roll back. A single 4xx code may be listed ("200,401").
export function isValidMatcher(value: string): boolean {
  const inRange = (code: string) => /^\d{3}$/.test(code) && Number(code) >= 200 && Number(code) <= 499;
  const range = /^(\d{3})-(\d{3})$/.exec(value);
  if (range) return inRange(range[1]) && Number(range[2]) <= 399 && Number(range[1]) <= Number(range[2]);
  return value.split(',').every(inRange);
}
// As a regex for the editor schema (which cannot check that a range is in order, "299-200"): codes 200–499, a list, or a range below 400.
const MATCHER = /^(?:[2-4]\d\d(?:,[2-4]\d\d)*|[23]\d\d-[23]\d\d)$/;
export const matcher = stringRule('must be HTTP codes from 200 to 499, as "200", "200,401" or a range below 400 like "200-299" (a range into 4xx calls a task answering 404 healthy)', isValidMatcher, MATCHER);
