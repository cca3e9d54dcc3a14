import { coversManyListeners, isListenerAction } from '../../policy/listener-scope';
import { GuardrailRule, list, parseJson, policiesOf, statements, Violation } from '../guardrail';

// IAM least privilege: staging's listener is production's, and so are the other rules on it.
export const ScopedListener: GuardrailRule = {
  id: 'STG-ScopedListener',
  level: 'error',
  message: 'IAM must grant listener and listener rule changes on one listener, never with a wildcard over listeners',
  explanation:
    'Staging shares the production listener: a wildcard listener ARN, or a listener-rule ARN whose wildcard covers more than one listener (listener-rule/app/*), lets the role change or delete every rule of every ALB it covers, production’s included. Name the listener ARN, and its rules as listener-rule/app/<lb-name>/<lb-id>/<listener-id>/* (the stack derives both from listenerRule.listenerArn or the looked-up listener).',
  check(resource) {
    const violations: Violation[] = [];
    for (const policy of policiesOf(resource)) {
      for (const statement of statements(parseJson(policy) ?? policy)) {
        if (statement.Effect !== 'Allow') continue;
        const actions = list(statement.Action).filter(isListenerAction);
        const wildcards = list(statement.Resource).filter(coversManyListeners);
        if (actions.length > 0 && (wildcards.length > 0 || statement.NotResource !== undefined)) {
          violations.push({ detail: `${actions.join(', ')} on ${wildcards[0] ?? 'NotResource'}`, value: wildcards[0] });
        }
      }
    }
    return violations;
  },
};
