import { ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as readline from 'node:readline';
import * as path from 'node:path';
import { terraformAvailable } from './terraform';
import { SNAPSHOT_VOLATILE_FIELDS } from './emulator/gaps';

/**
 * The local AWS emulator (moto_server, docs/testing.md "Tested against an AWS API"): one server per scenario,
 * on a free loopback port, so that scenarios run at once without sharing an account.
 */

const MOTO_LAUNCHER = path.join(__dirname, 'emulator', 'moto_server.py');
/** Set by `.ci/run`: a missing emulator is then a failure, not a skip. */
export const REQUIRE_EMULATOR = 'STAGING_REQUIRE_AWS_EMULATOR';
/** The title of a skipped suite's one placeholder test; terraform-reporter.js names such suites at the end. */
export const SKIPPED_WITHOUT_EMULATOR = 'skipped: needs the AWS emulator (moto_server)';

const PRODUCTION_ACCOUNT = path.join(__dirname, 'emulator', 'production_account.py');

/** What one run of the Python that runs moto says of itself. */
interface PythonFacts {
  /** The interpreter itself: a version manager's shim (pyenv's) costs ~0.3 s of CPU on every start. */
  readonly executable: string;
  /** Where its packages' commands are (the AWS CLI): first on the PATH of what the tests run. */
  readonly scripts: string;
  /** Whether moto's server, Flask and boto3 import. */
  readonly hasMoto: boolean;
}

let python: PythonFacts | undefined | null;

/**
 * The Python that runs moto (`MOTO_PYTHON`, else python3), asked once per process without importing
 * moto (starting moto's server only to print its help took 3 s of CPU, in every emulator suite).
 */
export function pythonFacts(): PythonFacts | undefined {
  if (python === undefined) {
    const probe = spawnSync(
      process.env.MOTO_PYTHON || 'python3',
      ['-c', 'import importlib.util as u, json, sys, sysconfig; print(json.dumps({"executable": sys.executable, "scripts": sysconfig.get_path("scripts"), "hasMoto": all(u.find_spec(m) for m in ("moto.server", "flask", "boto3"))}))'],
      { encoding: 'utf8' },
    );
    python = probe.status === 0 ? (JSON.parse(probe.stdout) as PythonFacts) : null;
  }
  return python ?? undefined;
}

export function emulatorAvailable(): boolean {
  return pythonFacts()?.hasMoto === true;
}

/** The AWS CLI of the Python that runs moto, by its absolute path; undefined when it has none (then `aws` on PATH is used). */
export function awsCli(): string | undefined {
  const scripts = pythonFacts()?.scripts;
  return scripts && fs.existsSync(path.join(scripts, 'aws')) ? path.join(scripts, 'aws') : undefined;
}

/** The environment of a command run against the emulator: its Python's commands (the AWS CLI) first on PATH. */
export function withPythonScripts(env: NodeJS.ProcessEnv, extraPath?: string): NodeJS.ProcessEnv {
  const scripts = pythonFacts()?.scripts;
  return { ...env, PATH: [extraPath, scripts, env.PATH].filter(Boolean).join(path.delimiter) };
}

/**
 * `describe` for suites that apply stacks to the emulator: they need both Terraform and moto_server.
 * Without them the suite is skipped with one message at the end of the run, unless CI asks for them
 * (`STAGING_REQUIRE_AWS_EMULATOR=true`, exported by `.ci/run`), where it fails instead.
 */
export function describeWithEmulator(name: string, body: () => void): void {
  const missing = [terraformAvailable() ? undefined : 'terraform', emulatorAvailable() ? undefined : `moto[server] for ${process.env.MOTO_PYTHON || 'python3'}`].filter(Boolean);
  if (missing.length === 0) {
    describe(name, body);
  } else if (process.env[REQUIRE_EMULATOR] === 'true' || process.env.CI === 'true') {
    describe(name, () => {
      test('terraform and the AWS emulator are installed', () => {
        throw new Error(`${missing.join(' and ')} not found; ${REQUIRE_EMULATOR}=true (CI) requires the emulator suite (docs/testing.md, "Tested against an AWS API")`);
      });
    });
  } else {
    describe.skip(name, () => {
      test(SKIPPED_WITHOUT_EMULATOR, () => undefined);
    });
  }
}

/** A running moto_server. `stop()` ends it; a process exit ends it too, so none is left behind. */
export class Emulator {
  /** Starts a server on a free loopback port, and waits until it answers. */
  public static async start(): Promise<Emulator> {
    const port = await freePort();
    const child = spawn(pythonFacts()!.executable, [MOTO_LAUNCHER, '-H', '127.0.0.1', '-p', String(port)], {
      // Without it, IAM has no AWS managed policies (the execution role attaches one).
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
    const emulator = new Emulator(child, `http://127.0.0.1:${port}`);
    try {
      await emulator.waitUntilReady(() => stderr);
    } catch (error) {
      await emulator.stop();
      throw error;
    }
    return emulator;
  }

  private readonly killOnExit = () => this.kill();

  private constructor(
    private readonly child: ChildProcess,
    /** Base URL of every AWS service, e.g. `http://127.0.0.1:41234`. */
    public readonly endpoint: string,
  ) {
    process.on('exit', this.killOnExit);
  }

  /** The production account's facts, after building it (production_account.py create). */
  public createProductionAccount(): Promise<ProductionAccount> {
    return this.productionAccount<ProductionAccount>('create');
  }

  /** Adds the staging resources a team made by hand before adopting (production_account.py handmade). */
  public createHandmadeStaging(): Promise<{ logGroup: string; cluster: string; targetGroupArn: string }> {
    return this.productionAccount('handmade');
  }

  /**
   * Production's state, to compare before and after (production_account.py snapshot), without the
   * fields the emulator changes by itself between two calls (gaps.ts, SNAPSHOT_VOLATILE_FIELDS).
   */
  public async snapshotProduction(): Promise<Record<string, unknown>> {
    const snapshot = await this.productionAccount<Record<string, any>>('snapshot');
    for (const [section, fields] of Object.entries(SNAPSHOT_VOLATILE_FIELDS)) {
      for (const item of snapshot[section] ?? []) for (const field of Object.keys(fields)) delete item[field];
    }
    return snapshot;
  }

  /** What is in the account after an apply: rules, target groups, services, records, policies (production_account.py dump). */
  public dump(): Promise<AccountDump> {
    return this.productionAccount<AccountDump>('dump');
  }

  /** Runs the AWS CLI against the emulator, with `extraPath` first on PATH (stubs); resolves to stdout. */
  public aws(args: readonly string[], options: { extraPath?: string; shell?: string } = {}): Promise<string> {
    const env = withPythonScripts({ ...process.env, ...EMULATOR_CREDENTIALS, AWS_ENDPOINT_URL: this.endpoint }, options.extraPath);
    const [command, commandArgs] = options.shell ? ['bash', ['-c', options.shell]] : ['aws', args];
    return new Promise((resolve, reject) => {
      execFile(command, commandArgs, { env, encoding: 'utf8' }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${commandArgs.join(' ')} failed: ${stderr}${stdout}`));
        else resolve(stdout);
      });
    });
  }

  public async stop(): Promise<void> {
    process.off('exit', this.killOnExit);
    const helper = this.account?.child;
    if (helper && helper.exitCode === null && helper.signalCode === null) {
      const ended = new Promise((resolve) => helper.once('exit', resolve));
      helper.stdin!.end();
      await ended;
    }
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.kill();
    await exited;
  }

  private kill(): void {
    this.account?.child.kill();
    try {
      // the whole process group: moto_server is a Python entry point that may have children
      process.kill(-this.child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
  }

  private async waitUntilReady(stderr: () => string): Promise<void> {
    const deadline = Date.now() + 30000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`moto_server exited with ${this.child.exitCode}: ${stderr()}`);
      try {
        const response = await fetch(`${this.endpoint}/moto-api/data.json`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`moto_server did not answer on ${this.endpoint} within 30 s: ${stderr()}`);
  }

  /** production_account.py serve: started on first use, stopped with the emulator. */
  private account?: { child: ChildProcess; lines: AsyncIterator<string>; stderr: () => string };
  /** Commands go one at a time: each waits for the answer line of the one before. */
  private queue: Promise<unknown> = Promise.resolve();

  private productionAccount<T>(command: string): Promise<T> {
    const run = async (): Promise<T> => {
      if (!this.account) {
        const child = spawn(pythonFacts()!.executable, [PRODUCTION_ACCOUNT, this.endpoint, 'serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
        this.account = { child, lines: readline.createInterface({ input: child.stdout! })[Symbol.asyncIterator](), stderr: () => stderr };
      }
      const { child, lines, stderr } = this.account;
      child.stdin!.write(`${command}\n`);
      const line = await lines.next();
      if (line.done) throw new Error(`production_account.py ${command}: the helper exited: ${stderr()}`);
      const answer = JSON.parse(line.value) as { result?: T; error?: string };
      if (answer.error !== undefined) throw new Error(`production_account.py ${command} failed: ${answer.error}`);
      return answer.result as T;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** Any credentials do: the emulator checks none. */
export const EMULATOR_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'ap-northeast-1' };

/** What production_account.py creates: the production account's IDs, as a team would copy them into a file. */
export interface ProductionAccount {
  readonly accountId: string;
  readonly region: string;
  readonly vpcId: string;
  /** Two subnets tagged Tier=public (a third, Tier=private, must not be picked by a lookup). */
  readonly subnetIds: string[];
  readonly albSecurityGroupId: string;
  /** Tagged Name=prod-api-tasks. */
  readonly tasksSecurityGroupId: string;
  readonly databaseSecurityGroupId: string;
  readonly albArn: string;
  readonly albDnsName: string;
  readonly albZoneId: string;
  /** Port 80, with two production rules (priorities 1 and 2) and a fixed-response default. */
  readonly httpListenerArn: string;
  /** Port 443, with the same two rules and a forward default. */
  readonly httpsListenerArn: string;
  readonly productionTargetGroupArn: string;
  readonly zoneId: string;
  readonly zoneName: string;
  /** State bucket of the S3 backend. */
  readonly stateBucket: string;
  /** Repository name → URI. */
  readonly repositories: Record<string, string>;
  /** Role name → ARN. */
  readonly roles: Record<string, string>;
  /** Secrets Manager secret name → ARN. */
  readonly secrets: Record<string, string>;
  /** SSM parameter name → ARN. */
  readonly parameters: Record<string, string>;
  /** The production databases, as DescribeDBClusters and DescribeDBInstances answered right after creating them. */
  readonly databases: ProductionDatabases;
}

/** production_account.py's databases: two Aurora PostgreSQL clusters (IAM auth on) and an RDS PostgreSQL instance. */
export interface ProductionDatabases {
  readonly databaseName: string;
  readonly masterUser: string;
  /** The user a staging file names: not the master. */
  readonly stagingUser: string;
  /** Name of the Secrets Manager secret with the staging user's password (its ARN is in `secrets`). */
  readonly passwordSecret: string;
  /** "prod-aurora" (a writer and a reader, its own group prod-aurora) and "prod-reports" (a writer only, group prod-reports). */
  readonly clusters: Record<'prod-aurora' | 'prod-reports', {
    readonly identifier: string;
    readonly securityGroupId: string;
    readonly endpoint: string;
    readonly readerEndpoint: string;
    readonly port: number;
    /** DbClusterResourceId. */
    readonly resourceId: string;
    readonly arn: string;
    /** DBClusterMembers' instance identifiers, the writer first. */
    readonly members: string[];
  }>;
  /** "prod-postgres", in prod-db (`databaseSecurityGroupId`). */
  readonly instance: { readonly identifier: string; readonly securityGroupId: string; readonly address: string; readonly port: number; readonly resourceId: string; readonly arn: string };
}

/** production_account.py dump, as the AWS APIs answer (their field names). */
export interface AccountDump {
  /** SSM parameter name → its value, decrypted. */
  readonly parameterValues: Record<string, string>;
  /** Task definition family → its latest ACTIVE revision, as ECS resolves a bare family. */
  readonly latestTaskDefinitions: Record<string, any>;
  /** Listener port → its rules. */
  readonly rules: Record<string, any[]>;
  readonly targetGroups: any[];
  readonly services: any[];
  readonly records: any[];
  /** Repository name → lifecycle policy document, or null. */
  readonly lifecyclePolicies: Record<string, any>;
  /** Role name → attached policy ARNs and inline policy documents. */
  readonly roles: Record<string, { attached: string[]; inline: Record<string, any> }>;
  readonly securityGroupRules: any[];
  /** Every log group name. */
  readonly logGroups: string[];
  /** Every cluster, as DescribeClusters answers (with its capacity providers). */
  readonly clusters: any[];
  /** Application Auto Scaling's ECS targets and scheduled actions. */
  readonly scalableTargets: any[];
  readonly scheduledActions: any[];
}

/**
 * Sends every AWS call of the provider to the emulator, as LocalStack's tflocal does, through the
 * provider process's environment: `AWS_ENDPOINT_URL`, which the AWS SDK applies to every service, so
 * no call can reach AWS. (The same URLs as a provider `endpoints` block cost ~2.5 s of CPU in each
 * command's ValidateProviderConfig, measured with one endpoint or nineteen.)
 */
export function emulatorProviderEnvironment(endpoint: string): Record<string, string> {
  return { AWS_ENDPOINT_URL: endpoint };
}

/**
 * The Terraform override of a test copy (never in synthesized output): the provider settings the
 * emulator needs besides its URL. Written as `zzz_emulator_override.tf.json`, so that it is merged
 * after the offline `zz_override.tf.json`.
 */
export function emulatorOverride(): string {
  return JSON.stringify(
    {
      provider: {
        aws: {
          // A few retries: the emulator's server sometimes closes a kept-alive connection mid-response
          // ("use of closed network connection"); but not the default 25, which retry an unimplemented
          // call's HTTP 500 for minutes (gaps.ts).
          max_retries: 4,
          s3_use_path_style: true,
          // The offline override skips it; importing an ECS cluster by name builds its ARN from the account ID.
          skip_requesting_account_id: false,
        },
      },
    },
    null,
    2,
  );
}

/** A backend config file (`terraform init -backend-config=<file>`) pointing an S3 backend at the emulator. */
export function emulatorBackendConfig(endpoint: string): string {
  return [
    `endpoints = { s3 = "${endpoint}", sts = "${endpoint}" }`,
    'use_path_style = true',
    'skip_credentials_validation = true',
    'skip_requesting_account_id = true',
    'skip_metadata_api_check = true',
    'skip_region_validation = true',
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
