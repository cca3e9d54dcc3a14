import { CLONE_MARK } from '../../constructs/clone-database';
import { GuardrailRule } from '../guardrail';

const unmasked = (marks: readonly string[]) => marks.includes(CLONE_MARK.unmasked);
const consented = (marks: readonly string[]) => marks.includes(CLONE_MARK.unmaskedConsented);

// Printed on every synth, like STG-ProductionWrites: unmasked production data in staging never goes unnoticed.
export const UnmaskedClone: GuardrailRule = {
  id: 'STG-UnmaskedClone',
  level: 'warning',
  message: 'a clone serves production data unmasked (service.database.allowUnmaskedProductionData, no clone.mask)',
  explanation:
    'The clone holds production\'s rows as they are, personal data included, and staging (and each preview of a pull request) reads them with its master user. Name an SQL file in clone.mask: a job inside the VPC runs it against the clone before the service gets any task. The consent is the file\'s allowUnmaskedProductionData, so this warning cannot be suppressed.',
  suppressible: false,
  check: (resource) => (resource.type === 'aws_rds_cluster' && unmasked(resource.marks) && consented(resource.marks) ? [{ detail: 'unmasked by consent' }] : []),
};

// The schema refuses an unmasked clone without the consent; stacks built from the constructs get the same refusal here.
export const MaskConsent: GuardrailRule = {
  id: 'STG-MaskConsent',
  level: 'error',
  message: 'a clone must be masked, or the file must consent to unmasked data (service.database.allowUnmaskedProductionData)',
  explanation:
    'CloneDatabase was given no maskFile and not told of the consent (unmaskedConsented), so the clone would serve production\'s personal data to staging and the previews. Give clone.mask, or consent with allowUnmaskedProductionData: true, which synth then prints as STG-UnmaskedClone on every run.',
  suppressible: false,
  check: (resource) => (resource.type === 'aws_rds_cluster' && unmasked(resource.marks) && !consented(resource.marks) ? [{ detail: 'unmasked without allowUnmaskedProductionData' }] : []),
};
