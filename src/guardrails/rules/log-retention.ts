import { GuardrailRule } from '../guardrail';

// CloudWatch Logs keeps a group without retention forever (the awslogs driver creates them that way).
export const LogRetention: GuardrailRule = {
  id: 'STG-LogRetention',
  level: 'error',
  message: 'log groups must expire their logs',
  explanation: 'Logs of an API on production data may hold personal data; keeping them forever is neither needed nor free. Set logs.retentionInDays.',
  check: (resource) =>
    resource.type === 'aws_cloudwatch_log_group' && !(Number(resource.attributes.retention_in_days) > 0)
      ? [{ detail: 'retention_in_days is not set', value: resource.attributes.retention_in_days }]
      : [],
};
