// `npm run db-grants -- <stack>`: prints, on stdout and nothing else, the SQL a DBA runs once as the
// production database's master user to create the user staging connects as (read-only unless the file
// consents to read-write). A preview, `<stack>-pr-<number>`, connects as its staging stack does.
// Reads the environment file only: no synth, no AWS call. docs/production-data.md says how to run it.
import { DatabaseEngine } from '../src/aws/rds';
import { namesDatabase } from '../src/environment/rules/database-access';
import { databaseGrantsSql } from '../src/policy/database-grants';
import { runCommand } from './command';
import { loadStack } from './environment-files';

const USAGE = 'usage: npm run db-grants -- <stack>   (a staging stack, or a preview: <stack>-pr-<number>)';

function main(argv: readonly string[]): void {
  if (argv.length !== 1 || argv[0].startsWith('-')) throw new Error(USAGE);
  const stack = argv[0];
  const environment = /^(.+)-pr-\d{1,9}$/.exec(stack)?.[1] ?? stack;
  const { file, config } = loadStack(environment, stack);
  const database = config.service.database;
  if (!database) throw new Error(`${file}: service.database: ${stack} names no production database, so it has no database user`);
  if (!namesDatabase(database)) {
    throw new Error(`${file}: service.database: gives only securityGroupId and port; add engine, clusterIdentifier or instanceIdentifier, databaseName and user, so that there is a user to create`);
  }
  if (database.access === 'clone') {
    throw new Error(`${file}: service.database.access: "clone": ${stack} connects to a copy-on-write clone of its own as the clone's master user (its secret managed by RDS), so there is no user to create on production`);
  }
  process.stdout.write(
    databaseGrantsSql({
      engine: database.engine as DatabaseEngine,
      databaseName: database.databaseName!,
      user: database.user!,
      iamAuth: database.iamAuth === true,
      schemas: database.schemas,
      access: database.access,
    }),
  );
}

if (require.main === module) runCommand(main);
