import { createsOnlyRdsManagedSecrets, grantsOnlyPreviewCloneSecrets, grantsSecretsByWildcard, isSecretAction } from '../../policy/secrets';
import { GuardrailRule, list, parseJson, policiesOf, statements, Violation } from '../guardrail';

// IAM least privilege: a task that can read every secret of the account can read production's.
export const ScopedSecrets: GuardrailRule = {
  id: 'STG-ScopedSecrets',
  level: 'error',
  message: 'IAM must grant secrets, SSM parameters and KMS keys by exact ARN, never with a wildcard',
  explanation:
    'A wildcard lets the staging task (or CI) read every secret of the production account. Name the exact ARNs: the stack does so for the secrets listed in taskDefinition.container.secrets. The one exception is the master secrets RDS manages for the previews\' clones (secret:rds!cluster-*), narrowed by the tags RDS puts on them to clusters named <source>-<stack>-pr-*, the previews\' clone names; and the previews build may create (never read) such secrets, as RDS does when it makes a clone\'s.',
  check(resource) {
    const violations: Violation[] = [];
    for (const policy of policiesOf(resource)) {
      for (const statement of statements(parseJson(policy) ?? policy)) {
        if (statement.Effect !== 'Allow') continue;
        const actions = list(statement.Action).filter(isSecretAction);
        // the previews' clones' master secrets, narrowed by RDS's own tags to their clusters, are the one exception
        const wildcards = list(statement.Resource).filter((r) => grantsSecretsByWildcard(r, actions) && !grantsOnlyPreviewCloneSecrets(r, statement) && !createsOnlyRdsManagedSecrets(r, actions));
        if (actions.length > 0 && (wildcards.length > 0 || statement.NotResource !== undefined)) {
          violations.push({ detail: `${actions.join(', ')} on ${wildcards[0] ?? 'NotResource'}`, value: wildcards[0] });
        }
      }
    }
    return violations;
  },
};
