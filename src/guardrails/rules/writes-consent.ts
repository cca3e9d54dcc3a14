import { GuardrailRule } from '../guardrail';
import { consented, writes } from './production-writes';

// The schema refuses read-write without allowProductionWrites; stacks built from the constructs get the same refusal here.
export const WritesConsent: GuardrailRule = {
  id: 'STG-WritesConsent',
  level: 'error',
  message: 'staging may write production data only with the file’s consent (service.database.allowProductionWrites)',
  explanation:
    'The ingress rule says staging connects read-write, but no consent was given: DatabaseAccess marks the consent only when it is told allowProductionWrites (StagingEnvironment passes service.database.allowProductionWrites). Use access "read-only", or consent in the file with allowProductionWrites: true, which synth then prints as STG-ProductionWrites on every run.',
  suppressible: false,
  check: (resource) => (writes(resource.marks) && !consented(resource.marks) ? [{ detail: 'read-write without allowProductionWrites' }] : []),
};
