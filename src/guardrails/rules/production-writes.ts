import { DATABASE_MARK } from '../../constructs/database-access';
import { GuardrailRule } from '../guardrail';

/** Whether the resource is the ingress rule of a read-write connection. */
export const writes = (marks: readonly string[]): boolean => marks.includes(DATABASE_MARK.writes);
/** Whether the file consented to it (allowProductionWrites), as DatabaseAccess marks it. */
export const consented = (marks: readonly string[]): boolean => marks.includes(DATABASE_MARK.writesConsented);

// Printed on every synth, like STG-PublicAccess: staging writing production data never goes unnoticed.
export const ProductionWrites: GuardrailRule = {
  id: 'STG-ProductionWrites',
  level: 'warning',
  message: 'staging writes production data (service.database.access read-write, consented by allowProductionWrites)',
  explanation:
    'With access "read-write" staging connects to the writer as a user with write grants: a migration at start-up, a test script or a loop that deletes changes production’s rows, and nothing but the user’s grants stands in the way. Prefer "read-only" (or "reader" on an Aurora cluster); the consent is the file’s allowProductionWrites, so this warning cannot be suppressed.',
  suppressible: false,
  check: (resource) => (writes(resource.marks) && consented(resource.marks) ? [{ detail: 'read-write by consent' }] : []),
};
