/**
 * How IAM may grant changes to ALB listeners and their rules. Staging's listener is production's: a
 * grant that covers more than that one listener reaches production's own rules. The guardrail checks
 * every IAM policy in the stack's JSON with these predicates.
 */

// Service Authorization Reference, AWS Elastic Load Balancing V2: the actions that change something
// and whose resource is a listener (listener/app, listener/net) or a listener rule (listener-rule/app, /net).
const LISTENER_ACTIONS = [
  'AddListenerCertificates',
  'AddTags',
  'CreateRule',
  'DeleteListener',
  'DeleteRule',
  'ModifyListener',
  'ModifyListenerAttributes',
  'ModifyRule',
  'RemoveListenerCertificates',
  'RemoveTags',
  'SetRulePriorities',
].map((action) => `elasticloadbalancing:${action}`);

const WILDCARD = /[*?]/;

/** An IAM wildcard pattern (`*` any run, `?` one character) as a regular expression. */
const glob = (pattern: string, flags = ''): RegExp =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, flags);

/** Whether an IAM action (or an action pattern such as `elasticloadbalancing:*`) changes listeners or their rules. */
export function isListenerAction(action: string): boolean {
  const pattern = glob(action, 'i'); // action names are case-insensitive (IAM User Guide, "IAM JSON policy elements: Action")
  return LISTENER_ACTIONS.some((candidate) => pattern.test(candidate));
}

// Terraform's `${…}`: a value known at plan. A reference names one listener (an ARN AWS wrote has no
// wildcard); `replace(<listener ARN>, ":listener/", ":listener-rule/")` is that listener's rule prefix.
const INTERPOLATION = /\$\{([^{}]*)\}/g;
const RULE_PREFIX_OF = /^\s*replace\(.+,\s*":listener\/"\s*,\s*":listener-rule\/"\s*\)\s*$/;
const ONE_VALUE = 'REF';
const ONE_LISTENER_RULES = `arn:${ONE_VALUE}:elasticloadbalancing:${ONE_VALUE}:${ONE_VALUE}:listener-rule/app/${ONE_VALUE}/${ONE_VALUE}/${ONE_VALUE}`;

// ELBv2: listener ARNs are …:listener/<app|net>/<lb-name>/<lb-id>/<listener-id>, and listener rule
// ARNs …:listener-rule/<app|net>/<lb-name>/<lb-id>/<listener-id>/<rule-id> (Service Authorization
// Reference, resource types): a wildcard may stand only for the rule ID.
const ONE_LISTENERS_RULES = /^listener-rule\/[^*?/]+\/[^*?/]+\/[^*?/]+\/[^*?/]+\/./;

/** Whether a pattern with a wildcard in its first part may match a text starting with `prefix` (conservative: `*x` may). */
const mayStartWith = (pattern: string, prefix: string): boolean => prefix.startsWith(pattern.split(WILDCARD)[0]);

/**
 * Whether an IAM resource covers more than one listener, or the rules of more than one listener: a
 * listener ARN with a wildcard in its load balancer or listener part, a listener-rule ARN whose
 * wildcard stands for more than the rule ID, or any wildcard that could match listener ARNs (`*`,
 * `arn:aws:elasticloadbalancing:*:*:*`, a pattern after a reference the guardrail cannot read).
 * Region and account wildcards are not counted: listener IDs are unique.
 */
export function coversManyListeners(resource: string): boolean {
  const text = resource.replace(INTERPOLATION, (_, expression: string) => (RULE_PREFIX_OF.test(expression) ? ONE_LISTENER_RULES : ONE_VALUE));
  if (!WILDCARD.test(text)) return false;
  const parts = text.split(':');
  if (parts[0] !== 'arn' || parts.length < 6) return true;
  const service = parts[2];
  if (!(WILDCARD.test(service) ? glob(service).test('elasticloadbalancing') : service === 'elasticloadbalancing')) return false;
  const arnResource = parts.slice(5).join(':');
  const kind = arnResource.split('/')[0];
  if (kind === 'listener') return WILDCARD.test(arnResource);
  if (kind === 'listener-rule') return !ONE_LISTENERS_RULES.test(arnResource);
  return WILDCARD.test(kind) && (mayStartWith(arnResource, 'listener/') || mayStartWith(arnResource, 'listener-rule/'));
}
