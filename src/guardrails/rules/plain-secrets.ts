import { GuardrailRule, parseJson, Violation } from '../guardrail';

// Names that say "secret", in the usual spellings (DB_PASSWORD, apiKey, PRIVATE-KEY, AWS_SECRET_ACCESS_KEY…).
const SECRET_NAME = /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key/i;
// Values that are secrets whatever their name: AWS access key IDs, PEM blocks, URLs with user:password@.
const SECRET_VALUES: readonly [RegExp, string][] = [
  [/\b(AKIA|ASIA)[0-9A-Z]{16}\b/, 'an AWS access key ID'],
  [/-----BEGIN [A-Z ]*(PRIVATE KEY|CERTIFICATE)-----/, 'a PEM block'],
  [/[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with user:password@'],
];

/** What makes an environment entry look like a secret, if anything. */
export function secretLikeness(name: string, value: string): string | undefined {
  const byValue = SECRET_VALUES.find(([pattern]) => pattern.test(value));
  if (byValue) return `its value looks like ${byValue[1]}`;
  if (SECRET_NAME.test(name)) return 'its name looks like a secret';
  return undefined;
}

// ECS stores `environment` in plain text in the task definition, readable by anyone with ecs:DescribeTaskDefinition.
export const PlainSecrets: GuardrailRule = {
  id: 'STG-PlainSecrets',
  level: 'error',
  message: 'container environment variables must not hold secrets',
  explanation:
    'Plain environment variables are stored in the task definition, visible to anyone who can describe it. Move the value to a Secrets Manager secret or an SSM SecureString parameter and list its ARN under taskDefinition.container.secrets; ECS injects it at start. If the name is a false positive, suppress STG-PlainSecrets with a reason.',
  check(resource) {
    if (resource.type !== 'aws_ecs_task_definition') return [];
    const containers = parseJson(resource.attributes.container_definitions) ?? [];
    const violations: Violation[] = [];
    for (const container of containers) {
      for (const { name, value } of container.environment ?? []) {
        const why = secretLikeness(String(name), String(value));
        if (why) violations.push({ detail: `environment variable ${name}: ${why}`, value: name });
      }
    }
    return violations;
  },
};
