import * as ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';
import { MAX_CONDITION_VALUES, PRIORITY } from './listener-rule';
import { stringRule } from './rule';

// ELBv2 SourceIpConditionConfig: IPv4 or IPv6 addresses in CIDR format. The address's syntax is
// node:net's (strict: no leading zeros, one "::"); the prefix is a plain decimal within the family's bits.
function parseCidr(value: string): { address: string; prefix: number; family: 4 | 6 } | undefined {
  const slash = value.lastIndexOf('/');
  const [address, prefix] = [value.slice(0, slash), value.slice(slash + 1)];
  const family = slash === -1 ? 0 : isIP(address);
  if (family === 0 || !/^(?:0|[1-9]\d{0,2})$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) return undefined;
  return { address, prefix: Number(prefix), family: family as 4 | 6 };
}

export function isCidr(value: string): boolean {
  return parseCidr(value) !== undefined;
}

/** The network a CIDR names, as AWS writes it (`203.0.113.7/24` → `203.0.113.0/24`); undefined when it is not a CIDR. */
export function networkOf(value: string): string | undefined {
  const cidr = parseCidr(value);
  if (!cidr) return undefined;
  // ipaddr.js does the address arithmetic (a well-kept library, used by Express's proxy-addr).
  const network = (cidr.family === 4 ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(value);
  return `${network.toString()}/${cidr.prefix}`;
}

/** Whether no bit after the prefix is set, as AWS requires of a CIDR (it rejects `203.0.113.7/24`). */
export function isNetworkAddress(value: string): boolean {
  const cidr = parseCidr(value);
  if (!cidr) return false;
  const network = (cidr.family === 4 ? ipaddr.IPv4 : ipaddr.IPv6).networkAddressFromCIDR(value);
  return network.toNormalizedString() === ipaddr.parse(cidr.address).toNormalizedString();
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
 * `isCidr` and `isNarrowCidr` together as one regex, for the editor schema: octets up to 255 without
 * leading zeros, an IPv4 prefix from /8 to /32; IPv6 in its eight forms (full, or "::" once, optionally
 * ending in an IPv4 address) with a prefix from /32 to /128. Host bits are for synth alone.
 */
const OCTET = '(?:0|[1-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-5])';
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const H = '[0-9a-fA-F]{1,4}';
const IPV6 = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){1,7}:`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?::${H}){1,6}`,
  `:(?:(?::${H}){1,7}|:)`,
  `(?:${H}:){6}${IPV4}`,
  `::(?:ffff(?::0{1,4})?:)?${IPV4}`,
  `(?:${H}:){1,5}:${IPV4}`,
].join('|');
export const NARROW_CIDR = new RegExp(`^(?:${IPV4}\\/(?:[89]|[12]\\d|3[0-2])|(?:${IPV6})\\/(?:3[2-9]|[4-9]\\d|1[01]\\d|12[0-8]))$`);
export const cidr = stringRule('must be an IPv4 or IPv6 CIDR like 203.0.113.0/24 or 2001:db8::/32', isCidr)
  .refine((value) => !isCidr(value) || isNarrowCidr(value), { error: NARROW_CIDR_RULE })
  .superRefine((value, context) => {
    if (isCidr(value) && !isNetworkAddress(value)) {
      context.addIssue({ code: 'custom', input: value, message: `must have no bits set after the prefix: write ${networkOf(value)}` });
    }
  })
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

