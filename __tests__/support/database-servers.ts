import { ChildProcess, spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Real database servers for the grants suites (__tests__/database/): PostgreSQL 15 and MariaDB, each
 * started in its own temp dir, reachable on a unix socket in that dir only (no TCP port), stopped and
 * removed when the file is done. As root, each server runs as its system user (postgres, mysql): neither
 * runs as root. What they lack that RDS has is in emulator/gaps.ts (DATABASE_SERVER_GAPS).
 */

/** The title of a skipped suite's one placeholder test (outside CI only). */
export const SKIPPED_WITHOUT_DATABASE_SERVER = 'skipped: needs a database server';

const IS_ROOT = process.getuid?.() === 0;

/** The real temp dir: the file's own (setup.ts) is 0700 and root's, which the servers' users cannot enter. */
function serverTmpRoot(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const osModule: { stagingRealTmpdir?: () => string } = require('node:os');
  return osModule.stagingRealTmpdir?.() ?? os.tmpdir();
}

function run(command: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; asUser?: string } = {}): SpawnSyncReturns<string> {
  const [file, argv] = options.asUser && IS_ROOT ? ['runuser', ['-u', options.asUser, '--', command, ...args]] : [command, [...args]];
  return spawnSync(file, argv, { encoding: 'utf8', input: options.input, env: options.env ?? process.env, timeout: 60_000 });
}

function mustRun(what: string, command: string, args: readonly string[], options: { input?: string; asUser?: string } = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${what} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

function systemUserExists(user: string): boolean {
  return spawnSync('id', ['-u', user]).status === 0;
}

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first of `names` on PATH (or one of `extraDirs`), as an absolute path. */
function which(names: readonly string[], extraDirs: readonly string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), ...extraDirs].filter(Boolean);
  for (const name of names) {
    for (const dir of dirs) if (executable(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** One psql or mariadb client run: exit status, and what it printed. */
export interface ClientResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

function clientResult(result: SpawnSyncReturns<string>): ClientResult {
  if (result.error) throw result.error;
  return { ok: result.status === 0, stdout: result.stdout.trim(), stderr: result.stderr.trim() };
}

type Server = 'PostgreSQL 15' | 'MariaDB';

/**
 * `describe` for suites that need a real server. Without its binaries the suite is skipped with the
 * reason as its one placeholder test, outside CI; under `CI=true` it fails instead, as the Terraform and
 * emulator suites do (support/terraform.ts), so CI never passes without running it.
 */
export function describeWithDatabaseServer(server: Server, name: string, body: () => void): void {
  const missing = server === 'MariaDB' ? MariadbServer.missing() : PostgresServer.missing();
  if (missing === undefined) {
    describe(name, body);
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      test(`${server} is installed`, () => {
        throw new Error(`${server} not found (${missing}); CI must run the database grants suites (.ci/run installs mariadb-server)`);
      });
    });
  } else {
    describe.skip(name, () => {
      test(`${SKIPPED_WITHOUT_DATABASE_SERVER}: ${server} (${missing})`, () => undefined);
    });
  }
}

/** Servers still running, ended on the process's exit if a file's afterAll never ran. */
const running = new Set<{ kill(): void }>();
process.on('exit', () => {
  for (const server of running) server.kill();
});

/** A PostgreSQL 15 server (initdb, `--auth=trust` but for the roles given passwords). */
export class PostgresServer {
  /** The bindir: `PG_BINDIR`, else `pg_config --bindir`, else the Debian one. */
  public static bindir(): string {
    if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
    const config = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' });
    return config.status === 0 ? config.stdout.trim() : '/usr/lib/postgresql/15/bin';
  }

  /** Why no server can start here, or undefined when one can. */
  public static missing(): string | undefined {
    const bindir = PostgresServer.bindir();
    const absent = ['initdb', 'pg_ctl', 'psql', 'postgres'].filter((tool) => !executable(path.join(bindir, tool)));
    if (absent.length > 0) return `${absent.join(', ')} not in ${bindir} (set PG_BINDIR, or install postgresql-15)`;
    if (IS_ROOT && !systemUserExists('postgres')) return 'running as root, and there is no system user postgres to run the server as';
    if (IS_ROOT && !which(['runuser'], ['/usr/sbin', '/sbin'])) return 'running as root, and runuser is not installed';
    return undefined;
  }

  /**
   * initdb and pg_ctl start, in a fresh dir. `passwordRoles` sign in with scram-sha-256 over the socket;
   * every other role is trusted.
   */
  public static start(options: { passwordRoles?: readonly string[] } = {}): PostgresServer {
    const dir = fs.mkdtempSync(path.join(serverTmpRoot(), 'stg-pg-'));
    const server = new PostgresServer(dir, PostgresServer.bindir());
    try {
      if (IS_ROOT) mustRun('chown', 'chown', ['postgres:', dir]);
      const asUser = 'postgres';
      mustRun('initdb', path.join(server.bindir, 'initdb'), ['-D', server.data, '-U', PostgresServer.SUPERUSER, '--auth=trust', '--no-sync', '--encoding=UTF8', '--locale=C'], { asUser });
      const hba = [...(options.passwordRoles ?? []).map((role) => `local all ${role} scram-sha-256`), 'local all all trust', ''].join('\n');
      mustRun('pg_hba.conf', 'sh', ['-c', 'cat > "$0"', path.join(server.data, 'pg_hba.conf')], { input: hba, asUser });
      const serverOptions = `-c listen_addresses='' -k ${dir} -c fsync=off -c full_page_writes=off`;
      mustRun('pg_ctl start', path.join(server.bindir, 'pg_ctl'), ['-D', server.data, '-l', path.join(dir, 'server.log'), '-w', '-t', '30', '-o', serverOptions, 'start'], { asUser });
      running.add(server);
      return server;
    } catch (error) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The superuser initdb makes (what RDS never gives: see DATABASE_SERVER_GAPS). */
  public static readonly SUPERUSER = 'local_superuser';

  private readonly data: string;

  private constructor(public readonly dir: string, private readonly bindir: string) {
    this.data = path.join(dir, 'data');
  }

  /**
   * psql as `user` on `database`, stopping at the first error: each of `commands` sent on its own (so a
   * SET takes effect before the next), or a `file` with psql `variables`.
   */
  public psql(user: string, database: string, input: { commands?: readonly string[]; file?: string; variables?: Record<string, string>; password?: string }): ClientResult {
    const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', this.dir, '-U', user, '-d', database];
    for (const [name, value] of Object.entries(input.variables ?? {})) args.push('-v', `${name}=${value}`);
    for (const command of input.commands ?? []) args.push('-c', command);
    if (input.file) args.push('-f', input.file);
    const env: NodeJS.ProcessEnv = { ...process.env, PGCONNECT_TIMEOUT: '10' };
    if (input.password === undefined) delete env.PGPASSWORD;
    else env.PGPASSWORD = input.password;
    return clientResult(run(path.join(this.bindir, 'psql'), args, { env }));
  }

  /** psql that must succeed: its output. */
  public sql(user: string, database: string, ...commands: string[]): string {
    const result = this.psql(user, database, { commands });
    if (!result.ok) throw new Error(`psql -U ${user} -d ${database} failed: ${result.stderr}`);
    return result.stdout;
  }

  public kill(): void {
    run(path.join(this.bindir, 'pg_ctl'), ['-D', this.data, '-m', 'immediate', 'stop'], { asUser: 'postgres' });
  }

  /** pg_ctl stop -m immediate, and the dir removed. */
  public stop(): void {
    this.kill();
    running.delete(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A MariaDB server (mariadb-install-db), with TLS on its socket: a self-signed certificate, so REQUIRE SSL can be tested. */
export class MariadbServer {
  private static tools(): { installDb?: string; server?: string; client?: string; admin?: string; openssl?: string } {
    const sbin = ['/usr/sbin', '/usr/local/sbin', '/sbin'];
    return {
      installDb: which(['mariadb-install-db', 'mysql_install_db'], sbin),
      server: which(['mariadbd', 'mysqld'], sbin),
      client: which(['mariadb', 'mysql']),
      admin: which(['mariadb-admin', 'mysqladmin']),
      openssl: which(['openssl']),
    };
  }

  /** Why no server can start here, or undefined when one can. */
  public static missing(): string | undefined {
    const tools = MariadbServer.tools();
    const absent = Object.entries(tools).filter(([, file]) => file === undefined).map(([tool]) => tool);
    if (absent.length > 0) return `no ${absent.join(', ')} found (apt-get install mariadb-server openssl)`;
    if (IS_ROOT && !systemUserExists('mysql')) return 'running as root, and there is no system user mysql to run the server as';
    return undefined;
  }

  /** mariadb-install-db, then mariadbd, waited for until it answers on its socket. */
  public static async start(): Promise<MariadbServer> {
    const tools = MariadbServer.tools() as Required<ReturnType<typeof MariadbServer.tools>>;
    const dir = fs.mkdtempSync(path.join(serverTmpRoot(), 'stg-mariadb-'));
    const asUser = IS_ROOT ? ['--user=mysql'] : [];
    let server: MariadbServer | undefined;
    try {
      const cert = path.join(dir, 'cert.pem');
      const key = path.join(dir, 'key.pem');
      mustRun('openssl', tools.openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost']);
      if (IS_ROOT) mustRun('chown', 'chown', ['-R', 'mysql:', dir]);
      const data = path.join(dir, 'data');
      // its own temp dir: the inherited TMPDIR (setup.ts's) is root's and 0700, where the mysql user writes nothing
      const tmpdir = `--tmpdir=${dir}`;
      mustRun('mariadb-install-db', tools.installDb, ['--no-defaults', `--datadir=${data}`, ...asUser, '--auth-root-authentication-method=normal', '--skip-test-db', tmpdir]);
      const socket = path.join(dir, 'sock');
      const log = path.join(dir, 'server.log');
      const child = spawn(
        tools.server,
        ['--no-defaults', `--datadir=${data}`, tmpdir, `--socket=${socket}`, '--skip-networking', `--pid-file=${path.join(dir, 'server.pid')}`, `--log-error=${log}`, `--ssl-cert=${cert}`, `--ssl-key=${key}`, ...asUser],
        { stdio: 'ignore' },
      );
      server = new MariadbServer(dir, socket, child, tools.client, tools.admin);
      running.add(server);
      for (let waited = 0; ; waited += 100) {
        if (run(tools.admin, ['--no-defaults', `--socket=${socket}`, '-uroot', 'ping']).status === 0) break;
        if (child.exitCode !== null || waited > 30_000) {
          throw new Error(`mariadbd did not start (${child.exitCode !== null ? `exit ${child.exitCode}` : 'no answer in 30 s'}): ${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return server;
    } catch (error) {
      if (server) await server.stop();
      else fs.rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The administrative user mariadb-install-db makes (a superuser: RDS's master is not; see DATABASE_SERVER_GAPS). */
  public static readonly SUPERUSER = 'root';

  private constructor(
    public readonly dir: string,
    private readonly socket: string,
    private readonly child: ChildProcess,
    private readonly client: string,
    private readonly admin: string,
  ) {}

  /** The client as `user`, the SQL on stdin (batch mode: it stops at the first error), with TLS when `ssl`. */
  public mariadb(user: string, sql: string, options: { password?: string; database?: string; ssl?: boolean } = {}): ClientResult {
    const args = ['--no-defaults', `--socket=${this.socket}`, `--user=${user}`, '--batch', '--skip-column-names', options.ssl ? '--ssl' : '--skip-ssl'];
    if (options.password !== undefined) args.push(`--password=${options.password}`);
    if (options.database) args.push(options.database);
    return clientResult(run(this.client, args, { input: sql }));
  }

  /** The client that must succeed: its output. */
  public sql(user: string, sql: string, options: { password?: string; database?: string; ssl?: boolean } = {}): string {
    const result = this.mariadb(user, sql, options);
    if (!result.ok) throw new Error(`mariadb --user=${user} failed: ${result.stderr}`);
    return result.stdout;
  }

  public kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** mariadb-admin shutdown (else, after 10 s, SIGKILL), waited for, and the dir removed. */
  public async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      run(this.admin, ['--no-defaults', `--socket=${this.socket}`, '-uroot', 'shutdown']);
      const timer = setTimeout(() => this.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(this);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
