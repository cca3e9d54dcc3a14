import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { MYSQL_PASSWORD_PLACEHOLDER, quoteMysqlLiteral } from '../../src/policy/database-grants';
import { ClientResult, describeWithDatabaseServer, MariadbServer } from '../support/database-servers';
import { DATABASE_SERVER_GAPS } from '../support/emulator/gaps';
import { fixtureJson, setPath, tempProject } from '../support/environments';
import { PROJECT_ROOT } from '../support/paths';

// The SQL `npm run db-grants -- <stack>` prints for the MySQL engines (mysql, aurora-mysql, mariadb), run as
// printed on a real MariaDB server by a master with RDS's privileges (not a superuser), then tried as the
// staging user. Tests run in order: the rows checksum comes after every attack.

const DB = 'app_db'; // its "_" is a wildcard in GRANT … ON `app_db`.* unless escaped
const NEIGHBOUR = 'appXdb'; // a database an unescaped `app_db`.* would cover too
const OTHER = 'billing';
const QUOTED_DB = 'order'; // a reserved word: it works backtick-quoted only
const MASTER = 'master';
const MASTER_PASSWORD = 'master-pw';
const SUPER = MariadbServer.SUPERUSER;
const IAM_USER = 'staging_ro';
const PASSWORD_USER = 'staging_pw';
const PASSWORD = "pa'ss word";
const RW_USER = 'staging_rw';
const QUOTED_USER = 'staging_order';
/** What the IAM users sign in with here: the password that stands in for AWSAuthenticationPlugin (DATABASE_SERVER_GAPS). */
const IAM_STAND_IN_PASSWORD = 'iam-token-stand-in';

/**
 * RDS for MariaDB's master (RDS User Guide, "Master user account privileges"): these on *.* WITH GRANT OPTION,
 * made by the local superuser. Not SUPER, FILE, DELETE HISTORY or anything on the mysql database beyond them.
 */
const RDS_MASTER_PRIVILEGES =
  'SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, PROCESS, REFERENCES, INDEX, ALTER, SHOW DATABASES, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER, REPLICATION SLAVE';

const PASSWORD_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:prod/db-password-AbCdEf';
const iamUser = (name: string) => ({ user: name, iamAuth: true });
const passwordUser = (name: string) => ({ user: name, passwordSecret: PASSWORD_SECRET });
/** An environment file (the tests' stg) naming this database; a password user's secret is the kit's, not the container's. */
function environmentFile(database: Record<string, unknown>): Record<string, unknown> {
  const file = setPath(fixtureJson('stg'), 'service.database', database);
  return database.passwordSecret ? setPath(file, 'taskDefinition.container.secrets.DB_PASSWORD', undefined) : file;
}
type User = ReturnType<typeof iamUser> | ReturnType<typeof passwordUser>;
const cluster = (engine: string, databaseName: string, user: User, extra: Record<string, unknown> = {}) => environmentFile({ engine, clusterIdentifier: 'prod-db', databaseName, ...user, ...extra });
const instance = (engine: string, databaseName: string, user: User, extra: Record<string, unknown> = {}) => environmentFile({ engine, instanceIdentifier: 'prod-db', databaseName, ...user, ...extra });
const READ_WRITE = { access: 'read-write', allowProductionWrites: true };

/** One stack per variant, each file as a team would write it. */
const STACKS = {
  iam: cluster('aurora-mysql', DB, iamUser(IAM_USER)),
  password: instance('mysql', DB, passwordUser(PASSWORD_USER)),
  'no-password': instance('mysql', DB, passwordUser('staging_nopw')),
  'read-write': instance('mariadb', DB, iamUser(RW_USER), READ_WRITE),
  'read-write-now-read-only': instance('mariadb', DB, iamUser(RW_USER)),
  quoted: instance('mariadb', QUOTED_DB, iamUser(QUOTED_USER)),
  'engine-mysql': instance('mysql', DB, iamUser('staging_plugin')),
  'engine-aurora-mysql': cluster('aurora-mysql', DB, iamUser('staging_plugin')),
  'engine-mariadb': instance('mariadb', DB, iamUser('staging_plugin')),
};
type Stack = keyof typeof STACKS;

/** Every row of the databases' tables, as the superuser sees them: one string to compare. */
const ROWS_CHECKSUM = `SELECT MD5(CONCAT_WS('|',
  (SELECT GROUP_CONCAT(id, ':', name ORDER BY id) FROM ${DB}.customers),
  (SELECT GROUP_CONCAT(id, ':', customer_id, ':', total ORDER BY id) FROM ${DB}.orders),
  (SELECT GROUP_CONCAT(x ORDER BY x) FROM ${NEIGHBOUR}.t),
  (SELECT GROUP_CONCAT(amount ORDER BY amount) FROM ${OTHER}.invoices),
  (SELECT GROUP_CONCAT(sku ORDER BY sku) FROM \`${QUOTED_DB}\`.\`lines\`)))`;

describeWithDatabaseServer('MariaDB', 'the grants SQL of npm run db-grants on a real MariaDB, run by a master with RDS\'s privileges', () => {
  let server: MariadbServer;
  let environmentsDir: string;
  let rowsBefore: string;
  const printed = new Map<Stack, string>();

  /** `npm run db-grants -- <stack>`, as the DBA runs it: its stdout, once per stack. */
  const dbGrants = (stack: Stack): string => {
    if (!printed.has(stack)) {
      const run = spawnSync(process.execPath, ['-r', path.join(PROJECT_ROOT, 'scripts/register-ts.js'), path.join(PROJECT_ROOT, 'scripts/db-grants.ts'), stack], {
        cwd: path.dirname(environmentsDir),
        encoding: 'utf8',
        env: { ...process.env, STAGING_ENVIRONMENTS_DIR: environmentsDir },
      });
      if (run.status !== 0 || run.stderr !== '') throw new Error(`npm run db-grants -- ${stack} failed (exit ${run.status}): ${run.stderr}`);
      printed.set(stack, run.stdout);
    }
    return printed.get(stack)!;
  };
  /** `what` replaced by `by`, everywhere: it must be there. */
  const replaced = (sql: string, what: string, by: string): string => {
    if (!sql.includes(what)) throw new Error(`the printed SQL has no ${what}`);
    return sql.split(what).join(by);
  };
  /** The printed SQL as run here: the IAM clause stood in for (DATABASE_SERVER_GAPS), the password put where the file says. */
  const runnable = (stack: Stack): string => {
    const sql = dbGrants(stack);
    const { printed: plugin, standIn } = DATABASE_SERVER_GAPS.awsAuthenticationPlugin;
    return sql.includes(plugin) ? replaced(sql, plugin, standIn(IAM_STAND_IN_PASSWORD)) : replaced(sql, MYSQL_PASSWORD_PLACEHOLDER, quoteMysqlLiteral(PASSWORD));
  };
  /** SQL run by the master the way the printed file's first lines say (mysql … < file: batch, stops at the first error). */
  const asMaster = (sql: string): ClientResult => server.mariadb(MASTER, sql, { password: MASTER_PASSWORD });
  const mustAsMaster = (sql: string): string => server.sql(MASTER, sql, { password: MASTER_PASSWORD });
  const runAsMaster = (stack: Stack): void => {
    const run = asMaster(runnable(stack));
    if (!run.ok) throw new Error(`db-grants ${stack} failed as the master: ${run.stderr}`);
  };
  /** SQL as a staging user: the IAM users over TLS (REQUIRE SSL) with the stand-in password, the password user with its own. */
  const as = (user: string, sql: string, options: { database?: string; password?: string } = {}): ClientResult =>
    user === PASSWORD_USER
      ? server.mariadb(user, sql, { password: options.password ?? PASSWORD, database: options.database ?? DB })
      : server.mariadb(user, sql, { password: options.password ?? IAM_STAND_IN_PASSWORD, database: options.database ?? DB, ssl: true });
  /** Every account, database, table, column and routine privilege of the staging users, as the superuser reads them. */
  const privileges = (): string =>
    server.sql(
      SUPER,
      [
        // password_last_changed is the time of the last ALTER USER … IDENTIFIED: not a privilege
        "SELECT User, Host, JSON_REMOVE(Priv, '$.password_last_changed') FROM mysql.global_priv WHERE User LIKE 'staging%' ORDER BY User, Host;",
        "SELECT * FROM mysql.db WHERE User LIKE 'staging%' ORDER BY User, Db;",
        "SELECT User, Db, Table_name, Table_priv, Column_priv FROM mysql.tables_priv WHERE User LIKE 'staging%' ORDER BY User, Db, Table_name;",
        "SELECT User, Db, Table_name, Column_name, Column_priv FROM mysql.columns_priv WHERE User LIKE 'staging%' ORDER BY User, Db, Table_name, Column_name;",
        "SELECT User, Db, Routine_name, Proc_priv FROM mysql.procs_priv WHERE User LIKE 'staging%' ORDER BY User, Db, Routine_name;",
      ].join('\n'),
    );

  beforeAll(async () => {
    environmentsDir = tempProject(STACKS).environmentsDir;
    server = await MariadbServer.start();
    // RDS's master, made by the local superuser
    server.sql(SUPER, `CREATE USER ${MASTER}@'%' IDENTIFIED BY '${MASTER_PASSWORD}'; GRANT ${RDS_MASTER_PRIVILEGES} ON *.* TO ${MASTER}@'%' WITH GRANT OPTION;`);
    // the master makes production's databases, as on RDS
    mustAsMaster(
      [
        `CREATE DATABASE ${DB}; CREATE DATABASE ${NEIGHBOUR}; CREATE DATABASE ${OTHER}; CREATE DATABASE \`${QUOTED_DB}\`;`,
        `CREATE TABLE ${DB}.customers (id int AUTO_INCREMENT PRIMARY KEY, name varchar(40) NOT NULL);`,
        `CREATE TABLE ${DB}.orders (id int AUTO_INCREMENT PRIMARY KEY, customer_id int NOT NULL REFERENCES customers (id), total decimal(10, 2) NOT NULL);`,
        `INSERT INTO ${DB}.customers (name) VALUES ('ada'), ('grace'), ('edsger');`,
        `INSERT INTO ${DB}.orders (customer_id, total) VALUES (1, 10.5), (2, 99), (3, 0.01);`,
        `CREATE TABLE ${NEIGHBOUR}.t (x int); INSERT INTO ${NEIGHBOUR}.t VALUES (42);`,
        `CREATE TABLE ${OTHER}.invoices (amount int); INSERT INTO ${OTHER}.invoices VALUES (1), (2);`,
        `CREATE TABLE \`${QUOTED_DB}\`.\`lines\` (sku varchar(10)); INSERT INTO \`${QUOTED_DB}\`.\`lines\` VALUES ('a-1'), ('b-2');`,
      ].join('\n'),
    );
    rowsBefore = server.sql(SUPER, ROWS_CHECKSUM);
    runAsMaster('iam');
    runAsMaster('password');
  });

  afterAll(async () => {
    await server?.stop();
  });

  test("the master that ran the SQL has RDS's privileges, WITH GRANT OPTION, and no SUPER, FILE or DELETE HISTORY", () => {
    // GIVEN the master / WHEN its global privileges are read
    const held = server.sql(SUPER, `SELECT PRIVILEGE_TYPE, IS_GRANTABLE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = "'${MASTER}'@'%'"`).split('\n');
    // THEN (MariaDB 10.5+ names REPLICATION CLIENT BINLOG MONITOR)
    expect(held.every((line) => line.endsWith('\tYES'))).toBe(true);
    expect(held.map((line) => line.split('\t')[0])).toEqual(expect.arrayContaining(['SELECT', 'CREATE USER', 'SHOW DATABASES', 'BINLOG MONITOR']));
    expect(held.map((line) => line.split('\t')[0])).not.toEqual(expect.arrayContaining(['SUPER']));
    expect(held.map((line) => line.split('\t')[0])).not.toEqual(expect.arrayContaining(['FILE']));
    expect(held.map((line) => line.split('\t')[0])).not.toEqual(expect.arrayContaining(['DELETE HISTORY']));
  });

  test('mysql, aurora-mysql and mariadb files print the same statements: only the header names the engine', () => {
    // GIVEN three files that differ in their engine only / WHEN db-grants prints each
    const statements = (['engine-mysql', 'engine-aurora-mysql', 'engine-mariadb'] as const).map((stack) => dbGrants(stack).split('\n').filter((line) => !line.startsWith('--')).join('\n'));
    // THEN one SQL, which this MariaDB runs for all three
    expect(new Set(statements).size).toBe(1);
    expect(statements[0]).toContain("CREATE USER IF NOT EXISTS 'staging_plugin'@'%' IDENTIFIED WITH AWSAuthenticationPlugin AS 'RDS' REQUIRE SSL;");
  });

  test("the IAM SQL as printed stops at its first statement on plain MariaDB, AWSAuthenticationPlugin being RDS's own: nothing is created", () => {
    // GIVEN the printed SQL, with no stand-in / WHEN the master runs it
    const run = asMaster(dbGrants('engine-mysql'));
    // THEN the plugin is the one thing missing here (DATABASE_SERVER_GAPS), and no user is left behind
    expect(run.ok).toBe(false);
    expect(run.stderr).toMatch(/ERROR 1524 \(HY000\) at line \d+: Plugin 'AWSAuthenticationPlugin' is not loaded/);
    expect(server.sql(SUPER, "SELECT count(*) FROM mysql.global_priv WHERE User = 'staging_plugin'")).toBe('0');
  });

  test('the IAM user signs in over TLS, and not without it (REQUIRE SSL)', () => {
    // GIVEN the IAM variant, run / WHEN it signs in with and without TLS
    const withTls = as(IAM_USER, "SELECT current_user(); SHOW STATUS LIKE 'Ssl_version'");
    const withoutTls = server.mariadb(IAM_USER, 'SELECT 1', { password: IAM_STAND_IN_PASSWORD, ssl: false });
    // THEN
    expect(withTls).toMatchObject({ ok: true, stdout: expect.stringMatching(new RegExp(`^${IAM_USER}@%\nSsl_version\tTLSv1\\.[23]$`)) });
    expect(withoutTls.stderr).toMatch(/ERROR 1045 \(28000\): Access denied for user 'staging_ro'@'localhost'/);
  });

  test('the password user signs in with the password put in place of the placeholder, and not with another', () => {
    // GIVEN the password variant, the placeholder replaced by the quoted password / WHEN it signs in
    const right = as(PASSWORD_USER, 'SELECT current_user()');
    const wrong = as(PASSWORD_USER, 'SELECT current_user()', { password: 'guess' });
    // THEN
    expect(right).toMatchObject({ ok: true, stdout: `${PASSWORD_USER}@%` });
    expect(wrong.stderr).toMatch(/ERROR 1045 \(28000\): Access denied for user 'staging_pw'@'localhost' \(using password: YES\)/);
  });

  test('with the placeholder left in, the script stops at its first statement: no user is created', () => {
    // GIVEN the password variant as printed / WHEN the master runs it
    const run = asMaster(dbGrants('no-password'));
    // THEN a syntax error at the placeholder, and no user
    expect(run.ok).toBe(false);
    expect(run.stderr).toMatch(new RegExp(`ERROR 1064 \\(42000\\) at line \\d+: You have an error in your SQL syntax.* near '${MYSQL_PASSWORD_PLACEHOLDER}'`));
    expect(server.sql(SUPER, "SELECT count(*) FROM mysql.global_priv WHERE User = 'staging_nopw'")).toBe('0');
  });

  test.each([IAM_USER, PASSWORD_USER])('%s reads every table of the database', (user) => {
    // GIVEN the grants / WHEN the user reads
    const read = as(user, 'SELECT count(*) FROM customers; SELECT sum(total) FROM orders');
    // THEN
    expect(read).toMatchObject({ ok: true, stdout: '3\n109.51' });
  });

  test('sees no database but its own: SHOW DATABASES lists it and information_schema only', () => {
    // GIVEN databases beside the granted one / WHEN the user lists them / THEN
    expect(as(IAM_USER, 'SHOW DATABASES')).toMatchObject({ ok: true, stdout: `${DB}\ninformation_schema` });
  });

  test.each([
    [`${NEIGHBOUR}, which "${DB}" matches with its "_" as a wildcard`, `SELECT x FROM ${NEIGHBOUR}.t`, new RegExp(`SELECT command denied to user '${IAM_USER}'@'localhost' for table \`${NEIGHBOUR}\`\\.\`t\``)],
    [`${OTHER}`, `SELECT amount FROM ${OTHER}.invoices`, new RegExp(`SELECT command denied to user '${IAM_USER}'@'localhost' for table \`${OTHER}\`\\.\`invoices\``)],
    [`${OTHER}, with USE`, `USE ${OTHER}`, new RegExp(`Access denied for user '${IAM_USER}'@'%' to database '${OTHER}'`)],
    ['the mysql database (the users and their grants)', 'SELECT User FROM mysql.global_priv', /SELECT command denied to user 'staging_ro'@'localhost' for table `mysql`\.`global_priv`/],
  ])('reading %s is refused', (_what, sql, error) => {
    // GIVEN the read-only user / WHEN it reads another database / THEN
    expect(as(IAM_USER, sql).stderr).toMatch(error);
  });

  test.each([
    ['INSERT', "INSERT INTO customers (name) VALUES ('mallory')", /INSERT command denied to user 'staging_ro'@'localhost' for table `app_db`\.`customers`/],
    ['UPDATE', 'UPDATE orders SET total = 0', /UPDATE command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
    ['DELETE', 'DELETE FROM orders', /DELETE command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
    ['REPLACE', "REPLACE INTO customers VALUES (1, 'mallory')", /INSERT, DELETE command denied to user 'staging_ro'@'localhost' for table `app_db`\.`customers`/],
    ['DELETE HISTORY', 'DELETE HISTORY FROM orders', /DELETE HISTORY command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
    ['TRUNCATE', 'TRUNCATE orders', /DROP command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
  ])('%s fails', (_what, sql, error) => {
    // GIVEN the read-only user / WHEN it writes rows / THEN privileges refuse it
    expect(as(IAM_USER, sql).stderr).toMatch(error);
  });

  test.each([
    ['CREATE TABLE', 'CREATE TABLE mine (id int)', /CREATE command denied to user 'staging_ro'@'localhost' for table `app_db`\.`mine`/],
    ['CREATE TABLE … LIKE', 'CREATE TABLE mine LIKE orders', /CREATE command denied to user 'staging_ro'@'localhost' for table `app_db`\.`mine`/],
    ['CREATE TEMPORARY TABLE', 'CREATE TEMPORARY TABLE mine (id int)', /Access denied for user 'staging_ro'@'%' to database 'app_db'/],
    ['DROP TABLE', 'DROP TABLE orders', /DROP command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
    ['ALTER TABLE', 'ALTER TABLE orders ADD COLUMN note text', /ALTER command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
    ['RENAME TABLE', 'RENAME TABLE orders TO gone', /DROP, ALTER command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
    ['CREATE INDEX', 'CREATE INDEX by_total ON orders (total)', /INDEX command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
    ['CREATE VIEW', 'CREATE VIEW mine AS SELECT 1', /CREATE VIEW command denied to user 'staging_ro'@'localhost' for table `app_db`\.`mine`/],
    ['CREATE PROCEDURE', 'CREATE PROCEDURE mine() SELECT 1', /Access denied for user 'staging_ro'@'%' to database 'app_db'/],
    ['CREATE TRIGGER', 'CREATE TRIGGER mine BEFORE INSERT ON orders FOR EACH ROW SET @x = 1', /TRIGGER command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/],
    ['CREATE EVENT', 'CREATE EVENT mine ON SCHEDULE EVERY 1 DAY DO DELETE FROM orders', /Access denied for user 'staging_ro'@'%' to database 'app_db'/],
    ['LOCK TABLES', 'LOCK TABLES orders WRITE', /Access denied for user 'staging_ro'@'%' to database 'app_db'/],
    ['CREATE DATABASE', 'CREATE DATABASE mine', /Access denied for user 'staging_ro'@'%' to database 'mine'/],
    ['DROP DATABASE', `DROP DATABASE ${DB}`, /Access denied for user 'staging_ro'@'%' to database 'app_db'/],
    ['CREATE USER', "CREATE USER mine@'%'", /you need \(at least one of\) the CREATE USER privilege/],
    ['GRANT its SELECT on', `GRANT SELECT ON ${DB}.* TO ${PASSWORD_USER}@'%'`, /Access denied for user 'staging_ro'@'%' to database 'app_db'/],
    ['ALTER another user', `ALTER USER ${PASSWORD_USER}@'%' IDENTIFIED BY 'x'`, /you need \(at least one of\) the CREATE USER privilege/],
    ['SELECT … INTO OUTFILE', "SELECT * FROM customers INTO OUTFILE '/tmp/staging-customers'", /you need \(at least one of\) the FILE privilege/],
    ['SET GLOBAL', 'SET GLOBAL max_connections = 1', /you need \(at least one of\) the SUPER, CONNECTION ADMIN privilege/],
  ])('%s fails', (_what, sql, error) => {
    // GIVEN the read-only user / WHEN it changes the schema, a user or the server / THEN it is refused
    expect(as(IAM_USER, sql).stderr).toMatch(error);
  });

  test('a row lock needs SELECT only on MariaDB, as the header says: the lock is taken, no row changes', () => {
    // GIVEN the read-only user / WHEN it locks rows
    const lock = as(IAM_USER, 'SELECT id FROM orders WHERE id = 1 FOR UPDATE; SELECT id FROM customers WHERE id = 1 LOCK IN SHARE MODE');
    // THEN it may (a lock held in an open transaction makes production's writes wait), and the SQL says so
    expect(lock).toMatchObject({ ok: true, stdout: '1\n1' });
    expect(dbGrants('iam')).toContain('-- What the user can still do: take row locks, which SELECT alone allows (SELECT ... FOR UPDATE and LOCK IN');
  });

  test('a table the master creates after the grants is readable, and not writable', () => {
    // GIVEN a table made after the SQL ran
    mustAsMaster(`CREATE TABLE ${DB}.refunds (id int AUTO_INCREMENT PRIMARY KEY, amount int); INSERT INTO ${DB}.refunds (amount) VALUES (7);`);
    // WHEN the staging user reads and writes it / THEN
    expect(as(IAM_USER, 'SELECT amount FROM refunds')).toMatchObject({ ok: true, stdout: '7' });
    expect(as(IAM_USER, 'INSERT INTO refunds (amount) VALUES (8)').stderr).toMatch(/INSERT command denied to user 'staging_ro'@'localhost' for table `app_db`\.`refunds`/);
  });

  test('running the SQL again is no error, and changes no user, grant or privilege', () => {
    // GIVEN every privilege the staging users hold, read
    const before = privileges();
    // WHEN both variants run a second time
    const again = [asMaster(runnable('iam')), asMaster(runnable('password'))];
    // THEN
    expect(again.map((run) => [run.ok, run.stderr])).toEqual([
      [true, ''],
      [true, ''],
    ]);
    expect(privileges()).toBe(before);
  });

  test('a privilege granted to the user by other means, on any table or database, is taken back by the next run', () => {
    // GIVEN writes granted by hand, beside the SQL's grant
    mustAsMaster(`GRANT INSERT ON ${DB}.orders TO ${IAM_USER}@'%'; GRANT INSERT ON ${OTHER}.* TO ${IAM_USER}@'%';`);
    expect(as(IAM_USER, `INSERT INTO ${OTHER}.invoices VALUES (3)`)).toMatchObject({ ok: true });
    try {
      // WHEN the SQL runs again
      runAsMaster('iam');
      // THEN both are gone, and it still reads
      expect(as(IAM_USER, 'INSERT INTO orders (customer_id, total) VALUES (1, 1)').stderr).toMatch(/INSERT command denied to user 'staging_ro'@'localhost' for table `app_db`\.`orders`/);
      expect(as(IAM_USER, `INSERT INTO ${OTHER}.invoices VALUES (4)`).stderr).toMatch(/INSERT command denied to user 'staging_ro'@'localhost' for table `billing`\.`invoices`/);
      expect(as(IAM_USER, 'SELECT count(*) FROM orders')).toMatchObject({ ok: true, stdout: '3' });
    } finally {
      // the rows written here, taken out as the master, for the checksum below
      mustAsMaster(`DELETE FROM ${OTHER}.invoices WHERE amount IN (3, 4); DELETE FROM ${DB}.orders WHERE id > 3;`);
    }
  });

  test('the user may change its own password, as every user may; the next run of the SQL sets the DBA\'s back', () => {
    // GIVEN the password user, which sets a password of its own
    expect(as(PASSWORD_USER, "SET PASSWORD = PASSWORD('mine')").ok).toBe(true);
    expect(as(PASSWORD_USER, 'SELECT 1').ok).toBe(false);
    // WHEN the SQL runs again
    runAsMaster('password');
    // THEN the DBA's password signs in, and the user's own does not
    expect(as(PASSWORD_USER, 'SELECT 1')).toMatchObject({ ok: true, stdout: '1' });
    expect(as(PASSWORD_USER, 'SELECT 1', { password: 'mine' }).ok).toBe(false);
  });

  test('a database whose name is a reserved word (`order`) works: the user reads it, and sees no other', () => {
    // GIVEN the SQL of a file whose databaseName is "order", run
    runAsMaster('quoted');
    // WHEN its user reads and lists / THEN
    expect(as(QUOTED_USER, 'SELECT GROUP_CONCAT(sku ORDER BY sku) FROM `lines`; SHOW DATABASES', { database: QUOTED_DB })).toMatchObject({ ok: true, stdout: 'a-1,b-2\ninformation_schema\norder' });
    expect(as(QUOTED_USER, `SELECT count(*) FROM ${DB}.customers`, { database: QUOTED_DB }).stderr).toMatch(/SELECT command denied to user 'staging_order'@'localhost' for table `app_db`\.`customers`/);
  });

  test('after every attempt above, the production rows are intact', () => {
    // GIVEN the rows' checksum before the grants / WHEN read again / THEN the same
    expect(server.sql(SUPER, ROWS_CHECKSUM)).toBe(rowsBefore);
  });

  describe('read-write', () => {
    beforeAll(() => {
      runAsMaster('read-write');
    });

    test('INSERT, UPDATE and DELETE work', () => {
      // GIVEN the consented read-write variant / WHEN the user writes
      const write = as(RW_USER, "INSERT INTO customers (name) VALUES ('rw'); SELECT LAST_INSERT_ID(); UPDATE customers SET name = 'rw2' WHERE name = 'rw'; DELETE FROM customers WHERE name = 'rw2'; SELECT count(*) FROM customers");
      // THEN
      expect(write).toMatchObject({ ok: true, stdout: '4\n3' });
    });

    test.each([
      ['TRUNCATE', 'TRUNCATE orders', /DROP command denied to user 'staging_rw'@'localhost' for table `app_db`\.`orders`/],
      ['DROP TABLE', 'DROP TABLE orders', /DROP command denied to user 'staging_rw'@'localhost' for table `app_db`\.`orders`/],
      ['ALTER TABLE', 'ALTER TABLE orders DROP COLUMN total', /ALTER command denied to user 'staging_rw'@'localhost' for table `app_db`\.`orders`/],
      ['CREATE TABLE', 'CREATE TABLE mine (id int)', /CREATE command denied to user 'staging_rw'@'localhost' for table `app_db`\.`mine`/],
      ['writing another database', `INSERT INTO ${OTHER}.invoices VALUES (9)`, /INSERT command denied to user 'staging_rw'@'localhost' for table `billing`\.`invoices`/],
      ['writing the neighbour the "_" would match', `INSERT INTO ${NEIGHBOUR}.t VALUES (9)`, /INSERT command denied to user 'staging_rw'@'localhost' for table `appXdb`\.`t`/],
      ['CREATE USER', "CREATE USER mine@'%'", /you need \(at least one of\) the CREATE USER privilege/],
    ])('%s fails', (_what, sql, error) => {
      // GIVEN the read-write user / WHEN it changes more than rows of its database / THEN it is refused
      expect(as(RW_USER, sql).stderr).toMatch(error);
    });

    test('run again as read-only, the same user loses its writes, and still reads', () => {
      // GIVEN the read-write user / WHEN the read-only SQL of the same user runs
      runAsMaster('read-write-now-read-only');
      // THEN
      expect(as(RW_USER, "INSERT INTO customers (name) VALUES ('x')").stderr).toMatch(/INSERT command denied to user 'staging_rw'@'localhost' for table `app_db`\.`customers`/);
      expect(as(RW_USER, 'DELETE FROM orders').stderr).toMatch(/DELETE command denied to user 'staging_rw'@'localhost' for table `app_db`\.`orders`/);
      expect(as(RW_USER, 'SELECT count(*) FROM customers')).toMatchObject({ ok: true, stdout: '3' });
    });
  });
});
