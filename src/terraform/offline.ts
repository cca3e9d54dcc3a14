import { ChildProcess, execFile, execFileSync, spawn, spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Offline Terraform (docs/testing.md, "Tests and Terraform offline"): a temp copy of a synthesized stack, a CLI
 * config pointing at the provider mirror, and an override file that disables every AWS call the provider
 * makes on its own. The overrides never reach real output. Used by the test harness and `npm run review`.
 */
/** `TERRAFORM_BIN`, else cdktf's `TERRAFORM_BINARY_NAME` (so that one variable moves both), else `terraform` on PATH. */
export const TERRAFORM = process.env.TERRAFORM_BIN || process.env.TERRAFORM_BINARY_NAME || 'terraform';
const PLUGIN_MIRROR = process.env.TF_PLUGIN_MIRROR ?? '/opt/tf-plugins';

let available: boolean | undefined;

/** Whether `TERRAFORM` runs (asked once per process). */
export function terraformAvailable(): boolean {
  available ??= spawnSync(TERRAFORM, ['version'], { stdio: 'ignore' }).status === 0;
  return available;
}

const OVERRIDE = {
  terraform: { backend: { local: { path: 'terraform.tfstate' } } },
  provider: {
    aws: {
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: true,
      skip_region_validation: true,
    },
  },
};

/** One resource change of a plan, from `terraform plan -json`'s `planned_change` events. */
export interface PlannedChange {
  readonly address: string;
  readonly type: string;
  readonly action: string;
}

export interface PlanResult {
  /** Every resource the plan would change; resources with no change are absent. */
  readonly changes: PlannedChange[];
  readonly summary: { add: number; change: number; import: number; remove: number };
}

/** AWS's documented example keys, and no instance metadata: offline, nothing may find real credentials. */
const DUMMY_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_EC2_METADATA_DISABLED: 'true',
};

/** The AWS provider that @cdktf/provider-aws 20.1.0 binds, and the mirror holds. */
const AWS_PROVIDER_VERSION = '5.100.0';

/** The initialised directory every working copy links its provider from (see `initTemplate`). */
let template: string | undefined;

/** A CLI config in `dir`: from the mirror when there is one (this machine, CI); else from the registry, as any user with internet. */
function writeCliConfig(dir: string): string {
  const file = path.join(dir, '.terraformrc');
  fs.writeFileSync(
    file,
    fs.existsSync(PLUGIN_MIRROR)
      ? `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(PLUGIN_MIRROR)}\n  }\n` +
          `  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`
      : '',
  );
  return file;
}

/** The user's cache directory (XDG), else the temp directory when it cannot be made. */
function cacheDir(): string {
  const dir = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'staging-kit');
  try {
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    return os.tmpdir();
  }
}

/**
 * `terraform init` once for every process of a run, and for the runs after: in the user's cache
 * (`~/.cache/staging-kit/`; each jest test file has a temp directory of its own, removed after it),
 * named by what decides its content (Terraform, the provider version, where the provider comes from).
 * Each test file is a module registry of its own, and an init took 0.45 s of CPU in each. A new one
 * is made beside it and renamed into place, so a reader never sees a half-made one, and of two made
 * at once one wins. It is kept: with the mirror it holds links; from the registry, the provider.
 */
function initTemplate(): string {
  if (template) return template;
  const source = fs.existsSync(PLUGIN_MIRROR) ? PLUGIN_MIRROR : 'registry';
  const key = crypto.createHash('sha256').update([TERRAFORM, AWS_PROVIDER_VERSION, source].join('\0')).digest('hex').slice(0, 16);
  const shared = path.join(cacheDir(), `terraform-init-${key}`);
  if (!fs.existsSync(path.join(shared, '.terraform.lock.hcl'))) {
    const dir = fs.mkdtempSync(`${shared}-new-`);
    const env = { ...process.env, TF_CLI_CONFIG_FILE: writeCliConfig(dir), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'aws', version: AWS_PROVIDER_VERSION } } } }));
    fs.writeFileSync(path.join(dir, 'zz_override.tf.json'), JSON.stringify(OVERRIDE));
    try {
      execFileSync(TERRAFORM, ['init', '-input=false', '-no-color'], { cwd: dir, env, stdio: 'pipe' });
    } catch (error) {
      const failure = error as { stdout?: Buffer; stderr?: Buffer };
      fs.rmSync(dir, { recursive: true, force: true });
      throw new Error(`terraform init failed in ${dir}:\n${failure.stderr ?? ''}${failure.stdout ?? ''}`);
    }
    try {
      fs.renameSync(dir, shared);
    } catch {
      // another process put its own in place first: the same content
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  template = shared;
  return shared;
}

/** Options of a working copy. */
export interface WorkdirOptions {
  /**
   * Keep the stack's own backend (e.g. S3 against an emulator) instead of a local state file in the copy.
   * @default false
   */
  readonly keepBackend?: boolean;
  /**
   * A running provider for every command of this copy to attach to, instead of each starting its own.
   * @default - each command starts the provider
   */
  readonly provider?: ProviderServer;
}

export class TerraformWorkdir {
  /** Copies a stack directory and adds the offline overrides. */
  public static fromStack(stackDir: string, options: WorkdirOptions = {}): TerraformWorkdir {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-tf-'));
    for (const entry of fs.readdirSync(stackDir)) {
      if (entry.endsWith('.tf.json') || entry.endsWith('.tf') || entry.endsWith('.tftest.hcl')) {
        fs.copyFileSync(path.join(stackDir, entry), path.join(dir, entry));
      }
    }
    return new TerraformWorkdir(dir, options);
  }

  private readonly env: NodeJS.ProcessEnv;
  private readonly provider?: ProviderServer;

  private constructor(
    public readonly dir: string,
    options: WorkdirOptions = {},
  ) {
    this.provider = options.provider;
    const cliConfig = writeCliConfig(dir);
    const override = options.keepBackend ? { provider: OVERRIDE.provider } : OVERRIDE;
    fs.writeFileSync(path.join(dir, 'zz_override.tf.json'), JSON.stringify(override, null, 2));
    this.env = {
      ...process.env,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      ...DUMMY_CREDENTIALS,
      // Terraform and the provider live seconds here: without garbage collection a provider start costs
      // ~40% less CPU (measured: plan 5.2 s -> 3.1 s user, peak RSS 550 -> 660 MB), on a CPU-bound suite.
      GOGC: process.env.GOGC ?? 'off',
      // Attached to a running provider, Terraform itself only decodes its schema: there, garbage
      // collection costs less than the memory it saves (measured: plan 3.7 s -> 2.2 s wall).
      ...(this.provider ? { GOGC: process.env.GOGC ?? '100' } : {}),
    };
  }

  /**
   * The environment of one command: attached, through the provider's front, which answers Terraform's
   * schema request with the types this directory names (its configuration, modules, state and tests).
   */
  private commandEnv(): NodeJS.ProcessEnv {
    return this.provider ? { ...this.env, TF_REATTACH_PROVIDERS: this.provider.reattachFor(this.dir) } : this.env;
  }

  /** Writes an extra file into the working directory, e.g. a state fixture. */
  public write(name: string, contents: string): void {
    fs.mkdirSync(path.dirname(path.join(this.dir, name)), { recursive: true });
    fs.writeFileSync(path.join(this.dir, name), contents);
  }

  public run(...args: string[]): string {
    try {
      return execFileSync(TERRAFORM, args, { cwd: this.dir, env: this.commandEnv(), encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      const failure = error as { stdout?: string; stderr?: string };
      throw new Error(`terraform ${args.join(' ')} failed in ${this.dir}:\n${failure.stderr ?? ''}${failure.stdout ?? ''}`);
    }
  }

  /** `run`, as a child process that does not block this one: for several Terraform runs at once. */
  public runAsync(...args: string[]): Promise<string> {
    const run = () => new Promise<string>((resolve, reject) => {
      execFile(TERRAFORM, args, { cwd: this.dir, env: this.commandEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`terraform ${args.join(' ')} failed in ${this.dir}:\n${stderr}${stdout}`));
        else resolve(stdout);
      });
    });
    return this.provider ? this.provider.exclusive(run) : run();
  }

  /**
   * `terraform init` from the mirror, done once (see initTemplate); every workdir
   * links the template's provider (~700 MB, so linked, not copied) and copies its lock file.
   */
  public init(): this {
    const template = initTemplate();
    const to = path.join(this.dir, '.terraform');
    fs.mkdirSync(to);
    for (const entry of fs.readdirSync(path.join(template, '.terraform'))) {
      if (entry === 'providers') fs.symlinkSync(path.join(template, '.terraform', entry), path.join(to, entry));
      else fs.cpSync(path.join(template, '.terraform', entry), path.join(to, entry), { recursive: true });
    }
    fs.copyFileSync(path.join(template, '.terraform.lock.hcl'), path.join(this.dir, '.terraform.lock.hcl'));
    return this;
  }

  /** `terraform validate -json`, parsed. */
  public validate(): { valid: boolean; diagnostics: { severity: string; summary: string; detail?: string }[] } {
    try {
      return JSON.parse(this.run('validate', '-json', '-no-color'));
    } catch (error) {
      // validate exits non-zero when invalid; its JSON is still on stdout
      const match = /(\{[\s\S]*\})\s*$/.exec((error as Error).message);
      if (match) return JSON.parse(match[1]);
      throw error;
    }
  }

  /** An offline `terraform plan`, read from its machine-readable output (no second provider start for `show`). */
  public plan(...extraArgs: string[]): PlanResult {
    return this.parsePlan(this.run('plan', '-lock=false', '-input=false', '-json', ...extraArgs));
  }

  /** `plan`, without blocking this process. */
  public async planAsync(...extraArgs: string[]): Promise<PlanResult> {
    return this.parsePlan(await this.runAsync('plan', '-lock=false', '-input=false', '-json', ...extraArgs));
  }

  private parsePlan(output: string): PlanResult {
    const lines = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line));
    const changes = lines
      .filter((event) => event.type === 'planned_change')
      .map((event) => ({ address: event.change.resource.addr, type: event.change.resource.resource_type, action: event.change.action }));
    const summary = lines.find((event) => event.type === 'change_summary')?.changes;
    if (!summary) throw new Error(`terraform plan gave no change summary in ${this.dir}`);
    return { changes, summary };
  }

  /** The human-readable offline plan, with this temp directory's path taken out. */
  public planText(...extraArgs: string[]): string {
    return withoutDir(this.run('plan', '-lock=false', '-input=false', '-no-color', ...extraArgs), this.dir);
  }

  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * A stack's configuration as a child module of a workspace (one `terraform` call for several stacks):
 * without provider configuration, so that it inherits the root's (one provider process, not one per
 * module), and without a backend, which a module would only ignore with a warning.
 */
export function childModuleConfig<T extends { provider?: unknown; terraform?: { backend?: unknown } }>(config: T): Omit<T, 'provider'> {
  const { provider: _provider, ...rest } = config;
  if (!rest.terraform?.backend) return rest;
  const { backend: _backend, ...terraform } = rest.terraform;
  return { ...rest, terraform };
}

/** `childModuleConfig` for a file: Terraform JSON, or HCL (whose `provider` blocks are dropped). */
export function asChildModule(file: string, contents: string): string {
  if (file.endsWith('.json')) return JSON.stringify(childModuleConfig(JSON.parse(contents)));
  return contents.replace(/^provider "[^"]+" \{\n[\s\S]*?^\}\n/gm, '');
}

/** `text` with `dir` (and its real path, which differs under symlinked temp dirs) replaced by `.`. */
export function withoutDir(text: string, dir: string): string {
  const dirs = [...new Set([dir, safeRealpath(dir)])].sort((a, b) => b.length - a.length);
  return dirs.reduce((result, prefix) => result.split(`${prefix}${path.sep}`).join('').split(prefix).join('.'), text);
}

function safeRealpath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * One AWS provider process that many Terraform commands attach to (`TF_REATTACH_PROVIDERS`), as the
 * provider's own debug mode allows, instead of each command starting its own. Measured here: a provider
 * start costs ~4 s of CPU, and an attached `plan` takes 2.2 s instead of 8.5 s.
 *
 * The provider keeps one configuration (the last `ConfigureProvider` wins), so the commands attached
 * to one server run one at a time (`exclusive`; synchronous runs are one at a time anyway), and a
 * configuration attached to it may have only one `provider "aws"` block. Copies that must run at once
 * (two CI jobs racing for a lock) get a server each.
 */
export class ProviderServer {
  /** The server this process's synchronous runs share, started on first use, ended by `stopShared` or when the process exits. */
  public static shared(): ProviderServer {
    if (!sharedServer) {
      sharedServer = sharedSource ? sharedSource() : ProviderServer.start();
    }
    return sharedServer;
  }

  /**
   * Where `shared()` gets its server from, instead of starting one: for a host that loads this module
   * many times in one process (jest: a module registry per test file), so that all share one server,
   * which the source owns (`stopShared` then lets go of it without stopping it).
   */
  public static shareFrom(source: () => ProviderServer): void {
    sharedSource = source;
  }

  /** Ends the shared server, if one was started (jest: after each test file, whose modules go with it), unless a source owns it. */
  public static async stopShared(): Promise<void> {
    const server = sharedServer;
    sharedServer = undefined;
    if (!sharedSource) await server?.stop();
    // the source's server lives on: wait for the commands queued on it so far
    else await server?.exclusive(async () => undefined);
  }

  /**
   * Starts the provider from the shared install, and waits (at most 60 s) for its reattach address.
   * `environment` is added to the provider's own (e.g. `AWS_ENDPOINT_URL`): attached commands pass it none.
   * Its socket goes in a new directory under `tmpRoot` (default: the temp directory).
   */
  public static start(environment: Record<string, string> = {}, options: { tmpRoot?: string } = {}): ProviderServer {
    const template = initTemplate();
    const binary = findProviderBinary(path.join(template, '.terraform', 'providers'));
    // its Unix socket and its output go here, and go with it
    const tmpdir = fs.mkdtempSync(path.join(options.tmpRoot ?? os.tmpdir(), 'stg-tf-provider-'));
    const outputFile = path.join(tmpdir, 'output');
    const output = fs.openSync(outputFile, 'w');
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_') && name !== 'TF_REATTACH_PROVIDERS')),
      ...DUMMY_CREDENTIALS,
      // Not AWS_CA_BUNDLE: with it, the second ConfigureProvider of one process fails ("unable to add
      // custom RootCAs HTTPClient, has no WithTransportOptions"); the emulator is plain HTTP anyway.
      // Debug mode logs every request at trace level unless told otherwise.
      TF_LOG_PROVIDER: 'off',
      TF_LOG_SDK: 'off',
      TMPDIR: tmpdir,
      ...environment,
    };
    const child = spawn(binary, ['-debug'], { env, stdio: ['ignore', output, output], detached: true });
    fs.closeSync(output);
    const server = new ProviderServer(child, tmpdir);
    const deadline = Date.now() + 60000;
    for (;;) {
      const text = fs.readFileSync(outputFile, 'utf8');
      const match = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(text);
      if (match) {
        server.reattach = match[1];
        if (process.env.STAGING_PROVIDER_SCHEMA !== 'full') server.startFront();
        return server;
      }
      if (Date.now() > deadline || child.exitCode !== null) {
        process.off('exit', server.killOnExit);
        server.killOnExit();
        throw new Error(`${binary} -debug gave no reattach address: ${text.slice(-2000)}`);
      }
      // a synchronous sleep, so that synchronous test harnesses can start one too
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }

  /**
   * The value of `TF_REATTACH_PROVIDERS` that reaches the provider itself, with its whole schema (what
   * `npm run review` caches). Commands of a `TerraformWorkdir` attach through `reattachFor`.
   */
  public reattach = '';
  private queue: Promise<unknown> = Promise.resolve();
  /** The provider's front (provider-proxy.js): its `TF_REATTACH_PROVIDERS`, the types it answers, and the file it reads them from. */
  private front?: { readonly child: ChildProcess; readonly reattach: string; readonly typesFile: string; readonly types: Set<string> };
  /** At exit there is no waiting for the provider: its socket may still appear, so removal retries on ENOTEMPTY. */
  private readonly killOnExit = () => {
    this.signal();
    fs.rmSync(this.tmpdir, { recursive: true, force: true, maxRetries: 3 });
  };

  private constructor(
    private readonly child: ChildProcess,
    private readonly tmpdir: string,
  ) {
    process.on('exit', this.killOnExit);
    // the provider must not keep this process alive
    child.unref();
  }

  /**
   * Ends the provider, and removes its socket, once this process ends, even when no exit handler runs
   * (jest kills its workers; a test file's `process.on('exit')` never fires): a watcher, `tail --pid`,
   * waits for this process outside it.
   */
  public endWithThisProcess(): this {
    // values as positional arguments, never spliced into the script: a temp path is not shell-quoted
    const script = 'tail --pid="$1" -f /dev/null; kill -TERM -"$2" 2>/dev/null; rm -rf -- "$3"';
    spawn('sh', ['-c', script, 'watcher', String(process.pid), String(this.child.pid), this.tmpdir], { detached: true, stdio: 'ignore' }).unref();
    return this;
  }

  /**
   * The `TF_REATTACH_PROVIDERS` of a command run in `dir`: through the front, which answers Terraform's
   * schema request with every type this server's commands have named so far, those of `dir` included
   * (each `aws_…` word of its files: configuration, modules, state, tests). Terraform decodes those
   * only: 0.1 s of CPU for a validate, not 1.3 s, and the provider encodes its schema once, not 0.5 s
   * a command (docs/testing.md). Without the front (`STAGING_PROVIDER_SCHEMA=full`), `reattach`.
   */
  public reattachFor(dir: string): string {
    if (!this.front) return this.reattach;
    const added = [...typesNamedIn(dir)].filter((type) => !this.front!.types.has(type));
    if (added.length > 0) {
      for (const type of added) this.front.types.add(type);
      fs.appendFileSync(this.front.typesFile, `${added.join('\n')}\n`);
    }
    return this.front.reattach;
  }

  /** Starts the front on its own socket beside the provider's, and waits (at most 10 s) until it listens. */
  private startFront(): void {
    const config = JSON.parse(this.reattach) as Record<string, { Addr: { Network: string; String: string } }>;
    const [address] = Object.keys(config);
    const socket = path.join(this.tmpdir, 'front.sock');
    const typesFile = path.join(this.tmpdir, 'types');
    const readyFile = path.join(this.tmpdir, 'front-ready');
    fs.writeFileSync(typesFile, '');
    const outputFile = path.join(this.tmpdir, 'front-output');
    const output = fs.openSync(outputFile, 'w');
    const child = spawn(process.execPath, [FRONT, config[address].Addr.String, socket, typesFile, readyFile], { stdio: ['ignore', output, output], detached: true });
    fs.closeSync(output);
    child.unref();
    const deadline = Date.now() + 10000;
    while (!fs.existsSync(readyFile)) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill();
        throw new Error(`the provider's front (${FRONT}) did not start: ${fs.readFileSync(outputFile, 'utf8').slice(-2000)}`);
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
    const reattach = JSON.stringify({ [address]: { ...config[address], Addr: { Network: 'unix', String: socket } } });
    this.front = { child, reattach, typesFile, types: new Set() };
  }

  /** Whether the provider process is still up. */
  public get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Runs `command` once every command queued before it has settled. */
  public exclusive<T>(command: () => Promise<T>): Promise<T> {
    const next = this.queue.then(command, command);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Ends the provider (after the commands queued so far) and removes its socket. */
  public async stop(): Promise<void> {
    await this.queue;
    process.off('exit', this.killOnExit);
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.signal();
      await exited;
    }
    fs.rmSync(this.tmpdir, { recursive: true, force: true });
  }

  private signal(): void {
    try {
      process.kill(-this.child.pid!, 'SIGTERM');
    } catch {
      // already gone
    }
    // the front ends with the provider's connection anyway; this is sooner
    this.front?.child.kill();
  }
}

/** provider-proxy.js, the provider's front: plain JavaScript, run by this Node. */
const FRONT = path.join(__dirname, 'provider-proxy.js');

/** Every `aws_…` word in the files under `dir` (but `.terraform/`): a superset of the resource and data source types its commands use. */
function typesNamedIn(dir: string): Set<string> {
  const types = new Set<string>();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === '.terraform') continue;
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      for (const type of typesNamedIn(file)) types.add(type);
    } else if (entry.isFile()) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/\baws_[a-z0-9_]+/g)) types.add(match[0]);
    }
  }
  return types;
}

let sharedServer: ProviderServer | undefined;
let sharedSource: (() => ProviderServer) | undefined;

/** The provider executable under an installed `.terraform/providers` (its platform directory may be a link into the mirror). */
function findProviderBinary(dir: string): string {
  const providerDir = path.join(dir, 'registry.terraform.io', 'hashicorp', 'aws', AWS_PROVIDER_VERSION);
  for (const platform of fs.readdirSync(providerDir)) {
    const binary = fs.readdirSync(path.join(providerDir, platform)).find((name) => name.startsWith('terraform-provider-aws'));
    if (binary) return path.join(providerDir, platform, binary);
  }
  throw new Error(`no terraform-provider-aws under ${providerDir}`);
}
