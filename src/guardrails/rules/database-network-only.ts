import { DATABASE_MARK } from '../../constructs/database-access';
import { GuardrailRule } from '../guardrail';

// The legacy form of service.database (securityGroupId and port only): printed on every synth until the file names the database.
export const DatabaseNetworkOnly: GuardrailRule = {
  id: 'STG-DatabaseNetworkOnly',
  level: 'warning',
  message: 'service.database gives only the network path: add engine, clusterIdentifier or instanceIdentifier, databaseName and user (iamAuth or passwordSecret) so that staging connects read-only',
  explanation:
    'The stack opens the production database to the staging tasks, but who they connect as is not the kit’s to say: usually production’s own secret, with production’s write grants. Named, the database gets a user of staging’s own (read-only grants from npm run db-grants), rds-db:connect as that user only, and plan-time checks (not the master user, IAM authentication on). See docs/production-data.md. The fix is a field of the file, so this warning cannot be suppressed.',
  suppressible: false,
  check: (resource) => (resource.marks.includes(DATABASE_MARK.networkOnly) ? [{ detail: 'network path only' }] : []),
};
