import { GuardrailRule } from '../guardrail';
import { PUBLIC_BY_CHOICE } from '../../constructs/marks';
import { isListenerRule, isRestricted } from './restricted-access';

// Printed on every synth, so an open staging endpoint never goes unnoticed.
export const PublicAccess: GuardrailRule = {
  id: 'STG-PublicAccess',
  level: 'warning',
  message: 'the staging endpoint is open to everyone (listenerRule.access.public is true)',
  explanation: 'Anyone who learns the host name reaches an API backed by production data. Prefer sourceIps, httpHeader, oidc or cognito.',
  suppressible: false,
  check: (resource) =>
    isListenerRule(resource) && !isRestricted(resource) && resource.marks.includes(PUBLIC_BY_CHOICE) ? [{ detail: 'public by choice' }] : [],
};
