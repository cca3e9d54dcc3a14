import * as yaml from 'js-yaml';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A CodeBuild stand-in: bash runs a buildspec's phases in order, with stub executables first on PATH.
 * `docker`, `aws`, `date`, `terraform`, `npm`, `curl` and `unzip` record their argv (tab-separated) and
 * what they read on stdin, then play their part. With `realAws`, `aws` records and then runs the real
 * AWS CLI, except the ECS waiter. `date` other than `date +%s` is the real one.
 */
const STUB = `#!${whichBash()}
name="\${0##*/}"
call="$name $*"
record="$name"
for arg in "$@"; do
  record+=$'\\t'"$arg"
  # What "docker login --password-stdin" receives: read only then, as the real CLI does.
  if [ "$arg" = --password-stdin ]; then stdin="$(cat)"; fi
done
if [ -n "\${stdin+set}" ]; then record+=$'\\t<stdin>'"$stdin"; fi
printf '%s\\n' "$record" >> "$STUB_LOG"
if [ -n "\${STUB_FAIL:-}" ] && [[ "$call" == *"$STUB_FAIL"* ]]; then echo "$name: failing as the test asked" >&2; exit 1; fi
if [ "$name" = aws ] && [ -n "\${REAL_AWS:-}" ] && [[ "$call" != 'aws ecs wait'* ]]; then exec "$REAL_AWS" "$@"; fi
case "$call" in
  'aws ecr get-login-password'*) printf 'fake-ecr-password' ;;
  'aws ecs update-service'*) echo 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/stg-server:7' ;;
  'aws ecs wait services-stable'*) if [ -n "\${STUB_WAIT_SLEEP:-}" ]; then exec sleep "$STUB_WAIT_SLEEP"; fi ;;
  'aws s3api list-objects-v2'*) printf '%s' "\${STUB_OBJECTS:-None}" ;;
  'aws elbv2 describe-rules'*) printf '%s\n' "\${STUB_RULES:-None}" ;;
  'date +%s') echo "$STUB_EPOCH" ;;
  date*) exec /bin/date "$@" ;;
  *' state list') printf '%s' "\${STUB_STATE:-}" ;;
  curl*) out=; prev=; for arg in "$@"; do [ "$prev" = -o ] && out="$arg"; prev="$arg"; done; printf '%s' "\${STUB_DOWNLOAD:-}" > "$out" ;;
  'npm run --silent synth -- --preview '*)
    dir="cdktf.out/stacks/$6-pr-$7"; mkdir -p "$dir"; printf '%s' "\${STUB_PREVIEW_JSON//NUMBER/$7}" > "$dir/preview.json" ;;
esac
`;

/** The programs the stand-in stubs. */
export const STUBBED = ['docker', 'aws', 'date', 'terraform', 'npm', 'curl', 'unzip'] as const;

/** One stubbed call. */
export interface Call {
  readonly argv: string[];
  /** Set when the stub read stdin (docker login --password-stdin). */
  readonly stdin?: string;
}

/** What a build did. */
export interface Build {
  /** The source directory the build ran in. */
  readonly dir: string;
  /** Each phase that ran, with its exit status. */
  readonly phases: { readonly name: string; readonly status: number | null }[];
  /** The stubs' calls, in order. */
  readonly calls: Call[];
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  /** A stub call to fail, by prefix, e.g. "docker push". */
  readonly fail?: string;
  /** Contents of the fixture `.go-version`; `null` leaves the file out. */
  readonly goVersion?: string | null;
  /** More files of the source, path (relative to it) → contents. */
  readonly files?: Record<string, string>;
  /** Secrets Manager or SSM parameter reference → value, as CodeBuild would resolve `env.secrets-manager` and `env.parameter-store`. */
  readonly secrets?: Record<string, string>;
  /** Seconds the stub waiter takes. */
  readonly waitSleep?: number;
  /**
   * Run the real AWS CLI (all but `aws ecs wait`) with these extra variables, e.g. an emulator's
   * `AWS_ENDPOINT_URL` and credentials.
   * @default - every `aws` call is stubbed
   */
  readonly realAws?: Record<string, string>;
  /**
   * More variables for the build: CodeBuild's (CODEBUILD_WEBHOOK_EVENT, …) and the stubs' (STUB_OBJECTS, …).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * A directory of more stubs, first on PATH, before the stand-in's own (e.g. a scripted `aws ecs`).
   * @default - only the stand-in's stubs
   */
  readonly stubDir?: string;
}

export interface Exit {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Each call's program and first two arguments, e.g. "docker push <image>". */
export const programs = (build: Build): string[] => build.calls.map((call) => call.argv.slice(0, 3).join(' '));

/** spawn, awaited: builds run side by side, to keep the tests fast. */
export function exec(command: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

export class CodeBuildStandIn {
  /** Writes the stubs into a temp dir; `epoch` is what the stub `date +%s` prints. */
  public static create(options: { epoch: string }): CodeBuildStandIn {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-codebuild-'));
    fs.mkdirSync(path.join(root, 'bin'));
    for (const name of STUBBED) fs.writeFileSync(path.join(root, 'bin', name), STUB, { mode: 0o755 });
    return new CodeBuildStandIn(root, options.epoch);
  }

  private runs = 0;

  private constructor(
    private readonly root: string,
    private readonly epoch: string,
  ) {}

  /**
   * Runs the YAML text as CodeBuild would: each phase in one bash, its commands in order, the phase
   * failing at the first command that fails, and the build stopping at the first failed phase.
   * The runner sets no `-e` or `pipefail` of its own: failure handling must come from the buildspec.
   */
  public async runBuild(text: string, options: RunOptions = {}): Promise<Build> {
    const dir = path.join(this.root, `run-${++this.runs}`);
    fs.mkdirSync(dir);
    const log = path.join(dir, 'stub.log');
    fs.writeFileSync(log, '');
    if (options.goVersion !== null) fs.writeFileSync(path.join(dir, '.go-version'), options.goVersion ?? '1.22.5\n');
    fs.writeFileSync(path.join(dir, 'Dockerfile'), 'ARG GO_VERSION\nFROM golang:${GO_VERSION}\n');
    for (const [file, contents] of Object.entries(options.files ?? {})) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), contents);
    }

    const spec = yaml.safeLoad(text) as {
      env: { shell: string; variables?: Record<string, string>; 'secrets-manager'?: Record<string, string>; 'parameter-store'?: Record<string, string> };
      phases: Record<string, { commands: string[] }>;
    };
    if (spec.env.shell !== 'bash') throw new Error(`this runner is bash; the buildspec asks for ${spec.env.shell}`);
    const secrets = Object.fromEntries(
      Object.entries({ ...spec.env['secrets-manager'], ...spec.env['parameter-store'] }).map(([name, reference]) => {
        const value = options.secrets?.[reference];
        if (value === undefined) throw new Error(`no such secret in this test: ${reference}`);
        return [name, value];
      }),
    );
    const env = {
      // env.variables, then what a build start overrides (CodeBuild's precedence)
      ...spec.env.variables,
      PATH: `${options.stubDir ? `${options.stubDir}:` : ''}${path.join(this.root, 'bin')}:${process.env.PATH}`,
      HOME: dir,
      STUB_LOG: log,
      STUB_EPOCH: this.epoch,
      ...(options.fail ? { STUB_FAIL: options.fail } : {}),
      ...(options.waitSleep ? { STUB_WAIT_SLEEP: String(options.waitSleep) } : {}),
      ...(options.realAws ? { REAL_AWS: which('aws'), ...options.realAws } : {}),
      ...secrets,
      ...options.env,
    };

    const phases: { name: string; status: number | null }[] = [];
    let stdout = '';
    let stderr = '';
    for (const name of ['install', 'pre_build', 'build', 'post_build']) {
      const phase = spec.phases[name];
      if (!phase) continue;
      const script = phase.commands.map((command) => `${command}\nstatus=$?; if [ "$status" -ne 0 ]; then exit "$status"; fi`).join('\n');
      const result = await exec('bash', ['-c', script], { cwd: dir, env });
      phases.push({ name, status: result.status });
      stdout += result.stdout;
      stderr += result.stderr;
      if (result.status !== 0) break;
    }
    const calls = fs
      .readFileSync(log, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line): Call => {
        const argv = line.split('\t');
        const last = argv[argv.length - 1];
        return last.startsWith('<stdin>') ? { argv: argv.slice(0, -1), stdin: last.slice('<stdin>'.length) } : { argv };
      });
    return { dir, phases, calls, stdout, stderr };
  }

  public dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}

/** A program's absolute path on PATH: a stub started through /usr/bin/env costs one more exec per call. */
function which(program: string): string {
  const found = (process.env.PATH ?? '').split(':').map((dir) => path.join(dir, program)).find((file) => fs.existsSync(file));
  if (!found) throw new Error(`these tests need ${program} on PATH`);
  return found;
}

function whichBash(): string {
  return which('bash');
}
