import { isCidr, isNetworkAddress, networkOf } from '../../aws/cidr';
import { HEADER_NAME } from '../../aws/elb';
import { isNarrowCidr, NARROW_CIDR, NARROW_CIDR_RULE } from '../../policy/allowlist';
import { stringRule } from './rule';

// An allowlist entry: a CIDR as ELBv2 takes it (aws/cidr), narrow enough to restrict (policy/allowlist).
export const cidr = stringRule('must be an IPv4 or IPv6 CIDR like 203.0.113.0/24 or 2001:db8::/32', isCidr)
  .refine((value) => !isCidr(value) || isNarrowCidr(value), { error: NARROW_CIDR_RULE })
  .superRefine((value, context) => {
    if (isCidr(value) && !isNetworkAddress(value)) {
      context.addIssue({ code: 'custom', input: value, message: `must have no bits set after the prefix: write ${networkOf(value)}` });
    }
  })
  .meta({ pattern: NARROW_CIDR.source });

export const headerName = stringRule(
  'must be an HTTP header name of at most 40 characters: letters, digits and !#$%&\'*+-.^_`|~ (e.g. X-Staging-Key)',
  (value) => HEADER_NAME.test(value),
  HEADER_NAME,
);

// The staging API serves production data: listenerRule.access is required, and restricts or says "public".
export const ACCESS_RULE =
  'must restrict who reaches staging (it serves production data): give sourceIps, httpHeader, oidc or cognito, or set "public": true to open it to everyone';

// Each extra rule takes the next priority; more than this many rules for one host is a job for a prefix list or WAF.
export const MAX_RULES_PER_ENVIRONMENT = 10;
