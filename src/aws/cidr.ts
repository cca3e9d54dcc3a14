/** CIDR ranges as ELBv2 and EC2 take them: syntax and network addresses. */
import * as ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

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
 * `isCidr`'s addresses as regex sources, for the editor schema: octets up to 255 without leading
 * zeros; IPv6 in its eight forms (full, or "::" once, optionally ending in an IPv4 address).
 */
const OCTET = '(?:0|[1-9]\\d?|1\\d\\d|2[0-4]\\d|25[0-5])';
export const IPV4_ADDRESS = `(?:${OCTET}\\.){3}${OCTET}`;
const H = '[0-9a-fA-F]{1,4}';
export const IPV6_ADDRESS = [
  `(?:${H}:){7}${H}`,
  `(?:${H}:){1,7}:`,
  `(?:${H}:){1,6}:${H}`,
  `(?:${H}:){1,5}(?::${H}){1,2}`,
  `(?:${H}:){1,4}(?::${H}){1,3}`,
  `(?:${H}:){1,3}(?::${H}){1,4}`,
  `(?:${H}:){1,2}(?::${H}){1,5}`,
  `${H}:(?::${H}){1,6}`,
  `:(?:(?::${H}){1,7}|:)`,
  `(?:${H}:){6}${IPV4_ADDRESS}`,
  `::(?:ffff(?::0{1,4})?:)?${IPV4_ADDRESS}`,
  `(?:${H}:){1,5}:${IPV4_ADDRESS}`,
].join('|');
