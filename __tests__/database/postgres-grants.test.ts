import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { databaseGrantsSql, DatabaseGrantsProps, POSTGRES_PASSWORD_VARIABLE } from '../../src/policy/database-grants';
import { describeWithDatabaseServer, PostgresServer } from '../support/database-servers';
import { DATABASE_SERVER_GAPS } from '../support/emulator/gaps';

// The SQL databaseGrantsSql prints, run as printed on a real PostgreSQL 15 by an RDS-like master (not a
// superuser), then tried as the staging user. Tests run in order: the rows checksum comes after every attack.

const DB = 'app';
const MASTER = 'master';
const SUPER = PostgresServer.SUPERUSER;
const SCHEMAS = ['public', 'sales'];
const IAM_USER = 'staging_ro';
const PASSWORD_USER = 'staging_pw';
const PASSWORD = "pa'ss word";
const RW_USER = 'staging_rw';

const props = (user: string, iamAuth: boolean, access: DatabaseGrantsProps['access'] = 'read-only'): DatabaseGrantsProps => ({ engine: 'postgres', databaseName: DB, user, iamAuth, access, schemas: SCHEMAS });

/** Every row of the app's tables, as the superuser sees them: one string to compare. */
const ROWS_CHECKSUM =
  "SELECT md5(string_agg(r, '|' ORDER BY r)) FROM (SELECT 'o' || o::text AS r FROM public.orders o UNION ALL SELECT 'c' || c::text FROM public.customers c UNION ALL SELECT 's' || s::text FROM sales.invoices s) t";

describeWithDatabaseServer('PostgreSQL 15', 'the grants SQL on a real PostgreSQL 15, run by an RDS-like master', () => {
  let server: PostgresServer;
  let dir: string;
  let rowsBefore: string;
  const script = (name: string, sql: string): string => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, sql);
    return file;
  };
  /** The printed SQL, run as the master the way its first lines say (psql -v ON_ERROR_STOP=1 -f). */
  const runAsMaster = (file: string, variables?: Record<string, string>) => server.psql(MASTER, DB, { file, variables });
  const as = (user: string, ...commands: string[]) => server.psql(user, DB, { commands, password: user === PASSWORD_USER ? PASSWORD : undefined });
  /** The same, after turning the session's read-only default off: what stops it then is privileges. */
  const asWritable = (user: string, command: string) => as(user, 'SET default_transaction_read_only = off', command);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-pg-grants-'));
    server = PostgresServer.start({ passwordRoles: [PASSWORD_USER] });
    // RDS's stand-ins, made by the local superuser (DATABASE_SERVER_GAPS)
    server.sql(SUPER, 'postgres', DATABASE_SERVER_GAPS.rdsIamRole, DATABASE_SERVER_GAPS.masterUser.postgres.replace('master', MASTER));
    // the master makes production's database, as on RDS
    server.sql(MASTER, 'postgres', `CREATE DATABASE ${DB}`);
    server.sql(
      MASTER,
      DB,
      'CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL)',
      'CREATE TABLE orders (id serial PRIMARY KEY, customer_id int REFERENCES customers, total numeric NOT NULL)',
      "INSERT INTO customers (name) VALUES ('ada'), ('grace'), ('edsger')",
      'INSERT INTO orders (customer_id, total) VALUES (1, 10.5), (2, 99), (3, 0.01)',
      'CREATE SCHEMA sales',
      'CREATE TABLE sales.invoices (id bigserial PRIMARY KEY, amount int)',
      'INSERT INTO sales.invoices (amount) VALUES (1), (2)',
    );
    rowsBefore = server.sql(SUPER, DB, ROWS_CHECKSUM);
    const iam = runAsMaster(script('iam.sql', databaseGrantsSql(props(IAM_USER, true))));
    if (!iam.ok) throw new Error(`the IAM variant failed as the master: ${iam.stderr}`);
    const password = runAsMaster(script('password.sql', databaseGrantsSql(props(PASSWORD_USER, false))), { [POSTGRES_PASSWORD_VARIABLE]: PASSWORD });
    if (!password.ok) throw new Error(`the password variant failed as the master: ${password.stderr}`);
  });

  afterAll(() => {
    server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the master that ran the SQL is not a superuser, as on RDS', () => {
    // GIVEN the master the SQL ran as / WHEN its attributes are read / THEN no superuser, but CREATEROLE and CREATEDB
    expect(server.sql(SUPER, DB, `SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = '${MASTER}'`)).toBe('f|t|t');
  });

  test('the IAM user is a plain LOGIN role in rds_iam, with no password, reading read-only by default', () => {
    // GIVEN the IAM variant, run / WHEN the role is read
    const attributes = server.sql(
      SUPER,
      DB,
      `SELECT r.rolcanlogin, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolreplication, r.rolbypassrls, r.rolinherit, a.rolpassword IS NULL, pg_has_role(r.oid, 'rds_iam', 'MEMBER'), array_to_string(r.rolconfig, ',') FROM pg_roles r JOIN pg_authid a ON a.oid = r.oid WHERE r.rolname = '${IAM_USER}'`,
    );
    // THEN
    expect(attributes).toBe('t|f|f|f|f|f|t|t|t|default_transaction_read_only=on');
  });

  test('the password user signs in with the password given to psql, not with another, and is not in rds_iam', () => {
    // GIVEN the password variant, run with -v password=… / WHEN it signs in
    const right = server.psql(PASSWORD_USER, DB, { commands: ['SELECT current_user'], password: PASSWORD });
    const wrong = server.psql(PASSWORD_USER, DB, { commands: ['SELECT current_user'], password: 'guess' });
    // THEN
    expect(right).toMatchObject({ ok: true, stdout: PASSWORD_USER });
    expect(wrong.stderr).toMatch(/password authentication failed/);
    expect(server.sql(SUPER, DB, `SELECT pg_has_role('${PASSWORD_USER}', 'rds_iam', 'MEMBER')`)).toBe('f');
  });

  test('without the password variable the script stops at the password line: the role it left has no password and no grants', () => {
    // GIVEN the password variant, run without -v password
    const run = runAsMaster(script('no-password.sql', databaseGrantsSql(props('staging_nopw', false))));
    // THEN it fails there
    expect(run.ok).toBe(false);
    expect(run.stderr).toMatch(/syntax error at or near ":"/);
    expect(server.sql(SUPER, DB, "SELECT rolpassword IS NULL, has_table_privilege('staging_nopw', 'public.orders', 'SELECT') FROM pg_authid WHERE rolname = 'staging_nopw'")).toBe('t|f');
  });

  test.each([IAM_USER, PASSWORD_USER])('%s reads every table of both schemas', (user) => {
    // GIVEN the grants / WHEN the user reads
    const read = as(user, 'SELECT count(*) FROM customers', 'SELECT sum(total) FROM orders', 'SELECT count(*) FROM sales.invoices');
    // THEN
    expect(read).toMatchObject({ ok: true, stdout: '3\n109.51\n2' });
  });

  test('a plain write fails first on the read-only default of the session', () => {
    // GIVEN the role's default_transaction_read_only / WHEN it inserts / THEN
    expect(as(IAM_USER, "INSERT INTO customers (name) VALUES ('x')").stderr).toMatch(/cannot execute INSERT in a read-only transaction/);
  });

  test('turning the read-only default off in the session takes effect: the session is writable', () => {
    // GIVEN / WHEN the user sets it off / THEN its transactions are no longer read-only (so what stops the writes below is privileges)
    expect(as(IAM_USER, 'SET default_transaction_read_only = off', 'SHOW transaction_read_only').stdout).toBe('off');
  });

  test.each([
    ['INSERT', "INSERT INTO customers (name) VALUES ('mallory')", /permission denied for table customers/],
    ['UPDATE', 'UPDATE orders SET total = 0', /permission denied for table orders/],
    ['DELETE', 'DELETE FROM sales.invoices', /permission denied for table invoices/],
    ['TRUNCATE', 'TRUNCATE orders', /permission denied for table orders/],
    ['COPY FROM', 'COPY customers (name) FROM STDIN', /permission denied for table customers/],
    ['SELECT FOR UPDATE (a row lock)', 'SELECT * FROM orders FOR UPDATE', /permission denied for table orders/],
  ])('%s fails, even with the read-only default off', (_what, command, error) => {
    // GIVEN a writable session / WHEN the staging user writes / THEN privileges refuse it
    expect(asWritable(IAM_USER, command).stderr).toMatch(error);
  });

  test.each([
    ['CREATE TABLE in public', 'CREATE TABLE public.mine (id int)', /permission denied for schema public/],
    ['CREATE TABLE in another granted schema', 'CREATE TABLE sales.mine (id int)', /permission denied for schema sales/],
    ['CREATE SCHEMA', 'CREATE SCHEMA mine', /permission denied for database app/],
    ['DROP TABLE', 'DROP TABLE orders', /must be owner of table orders/],
    ['ALTER TABLE', 'ALTER TABLE orders ADD COLUMN note text', /must be owner of table orders/],
    ['CREATE INDEX', 'CREATE INDEX ON orders (total)', /must be owner of table orders/],
    ['nextval', "SELECT nextval('customers_id_seq')", /permission denied for sequence customers_id_seq/],
    ['setval', "SELECT setval('customers_id_seq', 1000)", /permission denied for sequence customers_id_seq/],
    ['CREATE ROLE', 'CREATE ROLE mine LOGIN', /permission denied to create role/],
    ['GRANT a role', `GRANT rds_iam TO ${PASSWORD_USER}`, /must have admin option on role "rds_iam"/],
    ['ALTER another role', `ALTER ROLE ${PASSWORD_USER} PASSWORD 'x'`, /permission denied/],
    ['CREATE DATABASE', 'CREATE DATABASE mine', /permission denied to create database/],
  ])('%s fails, even with the read-only default off', (_what, command, error) => {
    // GIVEN a writable session / WHEN the staging user changes the schema, a sequence or a role / THEN it is refused
    expect(asWritable(IAM_USER, command).stderr).toMatch(error);
  });

  test('GRANT on a table grants nothing: the user holds SELECT without GRANT OPTION', () => {
    // GIVEN a writable session / WHEN the user grants its SELECT on
    const grant = asWritable(IAM_USER, `GRANT SELECT, INSERT ON orders TO ${PASSWORD_USER}`);
    // THEN a warning, and no privilege moved
    expect(grant.stderr).toMatch(/no privileges were granted for "orders"/);
    expect(server.sql(SUPER, DB, `SELECT has_table_privilege('${PASSWORD_USER}', 'orders', 'INSERT')`)).toBe('f');
  });

  test('a table the master creates after the grants is readable, and not writable', () => {
    // GIVEN a table made after the SQL ran
    server.sql(MASTER, DB, 'CREATE TABLE sales.refunds (id serial PRIMARY KEY, amount int)', 'INSERT INTO sales.refunds (amount) VALUES (7)');
    // WHEN the staging user reads and writes it / THEN
    expect(as(IAM_USER, 'SELECT amount FROM sales.refunds')).toMatchObject({ ok: true, stdout: '7' });
    expect(asWritable(IAM_USER, 'INSERT INTO sales.refunds (amount) VALUES (8)').stderr).toMatch(/permission denied for table refunds/);
    expect(asWritable(IAM_USER, "SELECT nextval('sales.refunds_id_seq')").stderr).toMatch(/permission denied for sequence refunds_id_seq/);
  });

  test("running the SQL again is no error, and changes no role, grant or default privilege", () => {
    // GIVEN everything the SQL grants, read
    // (an ACL never set reads NULL, the owner's default: compared as that default, which the REVOKE of a run spells out)
    const privileges = () =>
      server.sql(
        SUPER,
        DB,
        "SELECT string_agg(rolname || ':' || rolcanlogin || rolsuper || rolcreaterole || rolcreatedb || coalesce(array_to_string(rolconfig, ','), ''), ' ' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'staging_%'",
        "SELECT string_agg(e, ' ' ORDER BY e) FROM (SELECT n.nspname || '.' || c.relname || '=' || coalesce(c.relacl, acldefault(CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner))::text AS e FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('public', 'sales')) t",
        "SELECT string_agg(e, ' ' ORDER BY e) FROM (SELECT d.defaclnamespace::regnamespace::text || '.' || d.defaclobjtype::text || '=' || d.defaclacl::text AS e FROM pg_default_acl d) t",
        "SELECT string_agg(nspname || '=' || nspacl::text, ' ' ORDER BY nspname) FROM pg_namespace WHERE nspname IN ('public', 'sales')",
        `SELECT datacl::text FROM pg_database WHERE datname = '${DB}'`,
        "SELECT string_agg(e, ' ' ORDER BY e) FROM (SELECT r.rolname || '>' || m.rolname AS e FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.member JOIN pg_roles m ON m.oid = a.roleid) t",
      );
    const before = privileges();
    // WHEN both variants run a second time
    const iam = runAsMaster(path.join(dir, 'iam.sql'));
    const password = runAsMaster(path.join(dir, 'password.sql'), { [POSTGRES_PASSWORD_VARIABLE]: PASSWORD });
    // THEN
    expect([iam.ok, password.ok]).toEqual([true, true]);
    expect(privileges()).toBe(before);
  });

  test("after every attempt above, the production rows are intact", () => {
    // GIVEN the rows' checksum before the grants / WHEN read again / THEN the same
    expect(server.sql(SUPER, DB, ROWS_CHECKSUM)).toBe(rowsBefore);
  });

  describe('read-write', () => {
    beforeAll(() => {
      const run = runAsMaster(script('rw.sql', databaseGrantsSql(props(RW_USER, true, 'read-write'))));
      if (!run.ok) throw new Error(`the read-write variant failed as the master: ${run.stderr}`);
    });

    test('has no read-only default', () => {
      // GIVEN the read-write variant / WHEN the session is read / THEN writable
      expect(as(RW_USER, 'SHOW transaction_read_only').stdout).toBe('off');
    });

    test('INSERT (with the serial default: nextval), UPDATE and DELETE work', () => {
      // GIVEN / WHEN the user writes
      const write = as(RW_USER, "INSERT INTO customers (name) VALUES ('rw') RETURNING id", "UPDATE customers SET name = 'rw2' WHERE name = 'rw'", "DELETE FROM customers WHERE name = 'rw2'");
      // THEN
      expect(write).toMatchObject({ ok: true, stdout: '4' });
    });

    test.each([
      ['TRUNCATE', 'TRUNCATE sales.invoices', /permission denied for table invoices/],
      ['DROP TABLE', 'DROP TABLE orders', /must be owner of table orders/],
      ['ALTER TABLE', 'ALTER TABLE orders DROP COLUMN total', /must be owner of table orders/],
      ['CREATE TABLE', 'CREATE TABLE public.mine (id int)', /permission denied for schema public/],
      ['setval', "SELECT setval('customers_id_seq', 1)", /permission denied for sequence customers_id_seq/],
      ['CREATE ROLE', 'CREATE ROLE mine', /permission denied to create role/],
    ])('%s fails', (_what, command, error) => {
      // GIVEN the read-write user / WHEN it changes more than rows / THEN it is refused
      expect(as(RW_USER, command).stderr).toMatch(error);
    });

    test('run again as read-only, the same user loses its writes', () => {
      // GIVEN the read-write user / WHEN the read-only SQL runs for it
      const run = runAsMaster(script('rw-to-ro.sql', databaseGrantsSql(props(RW_USER, true, 'read-only'))));
      // THEN writes and sequences are taken back, the read-only default is set, and it still reads
      expect(run.ok).toBe(true);
      expect(asWritable(RW_USER, "INSERT INTO customers (name) VALUES ('x')").stderr).toMatch(/permission denied for table customers/);
      expect(asWritable(RW_USER, "SELECT nextval('customers_id_seq')").stderr).toMatch(/permission denied for sequence customers_id_seq/);
      expect(as(RW_USER, 'SHOW transaction_read_only', 'SELECT count(*) FROM customers').stdout).toBe('on\n3');
    });
  });
});
