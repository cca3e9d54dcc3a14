import { MAX_CONDITION_VALUES, PRIORITY } from './listener-rule';
import { stringRule } from './rule';

// ELBv2 SourceIpConditionConfig: IPv4 or IPv6 addresses in CIDR format.
export function isCidr(value: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (v4) return v4.slice(1, 5).every((octet) => Number(octet) <= 255) && Number(v4[5]) <= 32;
  const v6 = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(value);
  return v6 !== null && v6[1].includes(':') && /^(?:[0-9a-fA-F]{0,4}:){1,7}[0-9a-fA-F]{0,4}$/.test(v6[1]) && Number(v6[2]) <= 128;
}

/**
 * The widest range an allowlist may hold: /8 for IPv4 (a whole ISP, already far beyond an office or a
 * VPN) and /32 for IPv6 (an ISP's allocation). Wider ranges, or a few of them together (0.0.0.0/1 plus
 * 128.0.0.0/1), would admit the internet while looking like a restriction.
 */
export const WIDEST_PREFIX = { ipv4: 8, ipv6: 32 } as const;

/** Whether a CIDR is narrow enough for an allowlist. */
export function isNarrowCidr(cidr: string): boolean {
  const [address, length] = cidr.split('/');
  return Number(length) >= (address.includes(':') ? WIDEST_PREFIX.ipv6 : WIDEST_PREFIX.ipv4);
}
export const NARROW_CIDR_RULE = `must be at most a /${WIDEST_PREFIX.ipv4} (IPv4) or a /${WIDEST_PREFIX.ipv6} (IPv6): a wider range admits a large part of the internet`;
/**
 * `isCidr` and `isNarrowCidr` together as one regex, for the editor schema: octets up to 255, an IPv4
 * prefix from /8 to /32, an IPv6 prefix from /32 to /128 (each as `\d{1,2}` / `\d{1,3}`, leading zeros included).
 */
const OCTET = '(?:\\d{1,2}|[01]\\d\\d|2[0-4]\\d|25[0-5])';
export const NARROW_CIDR = new RegExp(
  `^(?:(?:${OCTET}\\.){3}${OCTET}\\/(?:0?[89]|[12]\\d|3[0-2])|(?:[0-9a-fA-F]{0,4}:){1,7}[0-9a-fA-F]{0,4}\\/(?:0?(?:3[2-9]|[4-9]\\d)|1[01]\\d|12[0-8]))$`,
);
export const cidr = stringRule('must be an IPv4 or IPv6 CIDR like 203.0.113.0/24 or 2001:db8::/32', isCidr)
  .refine((value) => !isCidr(value) || isNarrowCidr(value), { error: NARROW_CIDR_RULE })
  .meta({ pattern: NARROW_CIDR.source });

// ELBv2 HttpHeaderConditionConfig: HttpHeaderName, up to 40 characters; an RFC 7230 token.
export const headerName = stringRule(
  'must be an HTTP header name of at most 40 characters: letters, digits and !#$%&\'*+-.^_`|~ (e.g. X-Staging-Key)',
  (value) => value.length <= 40 && /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value),
  /^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,40}$/,
);

// The staging API serves production data: listenerRule.access is required, and restricts or says "public".
export const ACCESS_RULE =
  'must restrict who reaches staging (it serves production data): give sourceIps, httpHeader, oidc or cognito, or set "public": true to open it to everyone';

/**
 * ELBv2 quotas: 5 condition values per rule. The host header takes one, a header condition one more;
 * the rest of each rule is room for source CIDRs.
 */
export function cidrsPerRule(hasHeader: boolean): number {
  return MAX_CONDITION_VALUES - 1 - (hasHeader ? 1 : 0);
}

// Each extra rule takes the next priority; more than this many rules for one host is a job for a prefix list or WAF.
export const MAX_RULES_PER_ENVIRONMENT = 10;

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

