import { GuardrailRule, parseJson, Violation } from '../guardrail';

// Names that say "secret", in the usual spellings (DB_PASSWORD, apiKey, PRIVATE-KEY, AWS_SECRET_ACCESS_KEY…).
const SECRET_NAME = /pass(word|wd)?|secret|token|api[_-]?key|private[_-]?key|credential|access[_-]?key/i;

/** The container environment entries of a task definition, as written in its container definitions. */
export function environmentEntries(containerDefinitions: unknown): { name: string; value: string }[] {
  const containers = parseJson(containerDefinitions) ?? [];
  return containers.flatMap((container: { environment?: { name: unknown; value: unknown }[] }) =>
    (container.environment ?? []).map(({ name, value }) => ({ name: String(name), value: String(value) })),
  );
}

// ECS stores `environment` in plain text in the task definition, readable by anyone with ecs:DescribeTaskDefinition.
export const PlainSecrets: GuardrailRule = {
  id: 'STG-PlainSecrets',
  level: 'error',
  message: 'container environment variables must not hold secrets',
  explanation:
    'Plain environment variables are stored in the task definition, visible to anyone who can describe it. Move the value to a Secrets Manager secret or an SSM SecureString parameter and list its ARN under taskDefinition.container.secrets; ECS injects it at start. If the name is a false positive (e.g. TOKEN_TTL), suppress STG-PlainSecrets for it with a reason.',
  check(resource) {
    if (resource.type !== 'aws_ecs_task_definition') return [];
    const violations: Violation[] = [];
    for (const { name } of environmentEntries(resource.attributes.container_definitions)) {
      if (SECRET_NAME.test(name)) violations.push({ detail: `environment variable ${name}: its name looks like a secret`, value: name });
    }
    return violations;
  },
};
