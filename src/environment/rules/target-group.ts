import { integerBetween, stringRule } from './rule';

// ELBv2 CreateTargetGroup / CreateLoadBalancer, Name: at most 32 alphanumerics or hyphens, not beginning or ending with a hyphen.
export const TARGET_GROUP_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
export const TARGET_GROUP_NAME_RULE = 'must be 1–32 letters, digits or hyphens, not starting or ending with a hyphen';
export const targetGroupName = stringRule(TARGET_GROUP_NAME_RULE, (v) => TARGET_GROUP_NAME.test(v), TARGET_GROUP_NAME);
/** Load balancer names follow the same ELBv2 rule. */
export const loadBalancerName = targetGroupName;

// ELBv2 CreateTargetGroup, Port / ECS PortMapping: 1–65535.
export const port = () => integerBetween(1, 65535);

// ELBv2 target group attributes, deregistration_delay.timeout_seconds: 0–3600.
export const deregistrationDelay = () => integerBetween(0, 3600);

// ELBv2 CreateTargetGroup, HealthCheckPath: starts with "/", 1–1024 characters; a URL path and query
// (RFC 3986 characters: no space, no non-ASCII, which the ALB would send as it stands).
const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]{0,1023}$/;
export const healthCheckPath = stringRule(
  'must start with "/" and be at most 1024 characters of a URL path: letters, digits and -._~%!$&\'()*+,;=:@/? (encode anything else as %XX)',
  (v) => HEALTH_CHECK_PATH.test(v),
  HEALTH_CHECK_PATH,
);

// ELBv2 CreateTargetGroup, HealthCheckIntervalSeconds: 5–300.
export const healthCheckInterval = () => integerBetween(5, 300);

// ELBv2 CreateTargetGroup, HealthCheckTimeoutSeconds: 2–120 (and less than the interval, checked across fields).
export const healthCheckTimeout = () => integerBetween(2, 120);

// ELBv2 CreateTargetGroup, HealthyThresholdCount / UnhealthyThresholdCount: 2–10.
export const threshold = () => integerBetween(2, 10);

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

// ELBv2 CreateTargetGroup: "the timeout must be smaller than the interval" (only the API checks this).
export function timeoutBelowInterval(timeout: number, interval: number): boolean {
  return timeout < interval;
}
