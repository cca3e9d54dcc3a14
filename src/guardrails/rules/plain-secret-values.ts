import { GuardrailRule, Violation } from '../guardrail';
import { environmentEntries } from './plain-secrets';

// Values that are secrets whatever their name: AWS access key IDs, PEM blocks, URLs with user:password@.
const SECRET_VALUES: readonly [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key ID'],
  [/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/, 'a PEM block'],
  [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with user:password@'],
];

/** What a value looks like, if it looks like a secret. */
export function secretValueKind(value: string): string | undefined {
  return SECRET_VALUES.find(([pattern]) => pattern.test(value))?.[1];
}

// Unlike a name, such a value is never a false positive: this rule cannot be suppressed.
export const PlainSecretValues: GuardrailRule = {
  id: 'STG-PlainSecretValues',
  level: 'error',
  message: 'container environment variables must not hold credentials',
  explanation:
    'An access key, a private key or a password inside a URL is a credential whatever the variable is called, and the task definition shows it to anyone who can describe it. Move it to Secrets Manager or SSM and list its ARN under taskDefinition.container.secrets (for a URL, keep the password out of it and pass it as its own secret). Rotate it: it has been in a file.',
  suppressible: false,
  check(resource) {
    if (resource.type !== 'aws_ecs_task_definition') return [];
    const violations: Violation[] = [];
    for (const { name, value } of environmentEntries(resource.attributes.container_definitions)) {
      const kind = secretValueKind(value);
      if (kind) violations.push({ detail: `environment variable ${name}: its value looks like ${kind}`, value: name });
    }
    return violations;
  },
};
