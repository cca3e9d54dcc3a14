/** How wide a caller allowlist may be. Config rules check it per field; guardrails over the Terraform JSON. */
import { IPV4_ADDRESS, IPV6_ADDRESS } from '../aws/cidr';

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
 * `isCidr` and `isNarrowCidr` together as one regex, for the editor schema: an IPv4 prefix from /8 to
 * /32, an IPv6 prefix from /32 to /128. Host bits are for synth alone.
 */
export const NARROW_CIDR = new RegExp(`^(?:${IPV4_ADDRESS}\\/(?:[89]|[12]\\d|3[0-2])|(?:${IPV6_ADDRESS})\\/(?:3[2-9]|[4-9]\\d|1[01]\\d|12[0-8]))$`);
