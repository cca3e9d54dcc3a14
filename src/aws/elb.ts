/** Elastic Load Balancing v2 (Application Load Balancers): names, ARNs, listener rule grammar and quotas. */
import { ACCOUNT, PARTITION } from './ids';

// ELBv2 CreateRule, Priority: 1–50000.
export const PRIORITY = { min: 1, max: 50000 } as const;

// ELBv2 HostHeaderConditionConfig: up to 128 characters of A–Z, a–z, 0–9, - . * ?, with at least one "."
// and only letters after the last one.
export function isValidHostHeader(value: string): boolean {
  return value.length <= 128 && /^[A-Za-z0-9.*?-]+$/.test(value) && /\.[A-Za-z]+$/.test(value);
}
export const HOST_HEADER_RULE =
  'must be a host name of at most 128 characters: letters, digits, "-", ".", wildcards "*" and "?", ending in a dot and letters (e.g. stg-api.example.com)';
/** `isValidHostHeader` as one regex, for the editor schema. */
export const HOST_HEADER = /^(?=.{1,128}$)[A-Za-z0-9.*?-]*\.[A-Za-z]+$/;

// ALB host-header matching is case-insensitive, with "*" for any run of characters and "?" for exactly one.
export function hostMatches(pattern: string, host: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\-]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(host.replace(/\.$/, ''));
}

// ELBv2 HttpHeaderConditionConfig: HttpHeaderName, up to 40 characters; an RFC 7230 token.
export const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,40}$/;

// ELBv2 quotas, "Condition values per rule": 5 (the host header takes one).
export const MAX_CONDITION_VALUES = 5;

/**
 * ELBv2 quotas: 5 condition values per rule. The host header takes one, a header condition one more;
 * the rest of each rule is room for source CIDRs.
 */
export function cidrsPerRule(hasHeader: boolean): number {
  return MAX_CONDITION_VALUES - 1 - (hasHeader ? 1 : 0);
}

/** Splits an allowlist into one chunk per listener rule (an empty allowlist is one rule with no CIDR condition). */
export function chunkCidrs(cidrs: readonly string[], hasHeader: boolean): string[][] {
  if (cidrs.length === 0) return [[]];
  const size = cidrsPerRule(hasHeader);
  const chunks: string[][] = [];
  for (let i = 0; i < cidrs.length; i += size) chunks.push(cidrs.slice(i, i + size));
  return chunks;
}

/** The priorities an environment's rules take: consecutive from its priority. */
export function rulePriorities(priority: number, ruleCount: number): number[] {
  return Array.from({ length: ruleCount }, (_, i) => priority + i);
}

export const priorityRoom = (priority: number, ruleCount: number): boolean => priority + ruleCount - 1 <= PRIORITY.max;

// ELBv2 API Reference: listener ARNs are arn:aws:elasticloadbalancing:<region>:<account>:listener/app/<lb>/<id>/<id>.
export const LISTENER_ARN = new RegExp(`^${PARTITION}:elasticloadbalancing:([a-z0-9-]+):${ACCOUNT}:listener/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{16}/[0-9a-f]{16}$`);

/** What kind of ELBv2 ARN a string is, to explain a wrong one. */
export function elbArnKind(value: string): 'listener' | 'loadbalancer' | 'targetgroup' | 'listener-rule' | undefined {
  const match = /:elasticloadbalancing:[^:]*:[^:]*:(listener-rule|listener|loadbalancer|targetgroup)\//.exec(value);
  return match?.[1] as ReturnType<typeof elbArnKind>;
}

// ELBv2 CreateTargetGroup / CreateLoadBalancer, Name: at most 32 alphanumerics or hyphens, not beginning or ending with a hyphen.
export const TARGET_GROUP_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;
export const TARGET_GROUP_NAME_RULE = 'must be 1–32 letters, digits or hyphens, not starting or ending with a hyphen';

// ELBv2 CreateTargetGroup, Port / ECS PortMapping: 1–65535.
export const PORT = { min: 1, max: 65535 } as const;

// ELBv2 target group attributes, deregistration_delay.timeout_seconds: 0–3600.
export const DEREGISTRATION_DELAY = { min: 0, max: 3600 } as const;

// ELBv2 CreateTargetGroup, HealthCheckPath: starts with "/", 1–1024 characters; a URL path and query
// (RFC 3986 characters: no space, no non-ASCII, which the ALB would send as it stands).
export const HEALTH_CHECK_PATH = /^\/[A-Za-z0-9\-._~%!$&'()*+,;=:@/?]{0,1023}$/;

// ELBv2 CreateTargetGroup, HealthCheckIntervalSeconds: 5–300.
export const HEALTH_CHECK_INTERVAL = { min: 5, max: 300 } as const;

// ELBv2 CreateTargetGroup, HealthCheckTimeoutSeconds: 2–120 (and less than the interval, see below).
export const HEALTH_CHECK_TIMEOUT = { min: 2, max: 120 } as const;

// ELBv2 CreateTargetGroup, HealthyThresholdCount / UnhealthyThresholdCount: 2–10.
export const THRESHOLD = { min: 2, max: 10 } as const;

// ELBv2 CreateTargetGroup: "the timeout must be smaller than the interval" (only the API checks this).
export function timeoutBelowInterval(timeout: number, interval: number): boolean {
  return timeout < interval;
}

// ELB User Guide, "Quotas for your Application Load Balancers": rules per ALB (default rules excluded)
// 100, adjustable; target groups per ALB 100, not adjustable.
export const ALB_QUOTAS = { rules: 100, targetGroups: 100 } as const;
