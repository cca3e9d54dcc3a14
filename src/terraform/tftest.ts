import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ARTICLE } from '../kit/defaults';
import { consentOf } from '../environment/consent';
import { EnvironmentConfig } from '../environment/schema';
import { asChildModule, ProviderServer, TerraformWorkdir, withoutDir } from './offline';

/** The committed `terraform test` suites (`*.tftest.hcl`). */
export const TFTEST_DIR = path.resolve(__dirname, '..', '..', 'tftest');

/** What the file consents to, as the suites' variables (both suites declare them, default false). */
export function consentVariables(config: EnvironmentConfig): Record<string, string> {
  return consentOf(config).publicEndpoint ? { public_by_consent: 'true' } : {};
}

/**
 * The test file's variables default to the article's contract (port 1323, `/healthcheck`, tag `stg`).
 * An environment that differs on purpose passes its own values; an article-shaped one passes none.
 */
export function tftestVariables(config: EnvironmentConfig): Record<string, string> {
  const values: Record<string, string | number> = {
    tag_prefix: config.ecrLifecycle.tagPrefix,
    container_port: config.taskDefinition.container.port,
    health_check_path: config.targetGroup.healthCheck.path,
  };
  const article: Record<string, string | number> = {
    tag_prefix: ARTICLE.ecrLifecycle.tagPrefix,
    container_port: ARTICLE.container.port,
    health_check_path: ARTICLE.targetGroup.healthCheck.path,
  };
  return {
    ...Object.fromEntries(Object.entries(values).filter(([key, value]) => value !== article[key]).map(([key, value]) => [key, String(value)])),
    ...consentVariables(config),
  };
}

export interface TftestResult {
  /** Whether every run of every stack passed. */
  readonly passed: boolean;
  /** Each stack's runs: run name (as in the suite) → passed. */
  readonly runs: Record<string, Record<string, boolean>>;
  /** Terraform's report, temp paths removed. */
  readonly output: string;
}

/** A stack to test: its synthesized directory, and the suite's variables for it. */
export interface TftestTarget {
  readonly dir: string;
  readonly variables?: Record<string, string>;
  /**
   * Only these runs.
   * @default - every run of the suite
   */
  readonly runs?: readonly string[];
}

/** The names in a suite's top-level `variables` block. */
function suiteVariables(suite: string): string[] {
  const block = /^variables \{\n([\s\S]*?)^\}/m.exec(suite)?.[1] ?? '';
  return [...block.matchAll(/^\s+([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((match) => match[1]);
}

const RUN_BLOCK = /^run "([A-Za-z0-9_-]+)" \{\n([\s\S]*?)^\}\n/gm;

/**
 * The suite, once per stack: each `run` becomes `<stack>_<run>` against `module { source = "./<stack>" }`,
 * with the stack's variables. One `terraform test` then covers every stack, loading the provider
 * schema once (~4 s) instead of once per stack. The suite itself stays generic, for the root module.
 */
export function suiteForStacks(suite: string, targets: Record<string, TftestTarget>): string {
  const runs = [...suite.matchAll(RUN_BLOCK)].map((match) => ({ name: match[1], body: match[2] }));
  if (runs.length === 0) throw new Error('the suite has no run block');
  const head = suite.slice(0, suite.search(/^run "/m));
  const blocks = Object.entries(targets).flatMap(([stack, target]) =>
    runs
      .filter((run) => target.runs === undefined || target.runs.includes(run.name))
      .map((run) => {
        const variables = { ...target.variables, stack_file: `${stack}/cdk.tf.json` };
        const assignments = Object.entries(variables).map(([name, value]) => `    ${name} = ${/^(\d+|true|false)$/.test(value) ? value : JSON.stringify(value)}\n`).join('');
        return `run "${stack}_${run.name}" {\n  module {\n    source = "./${stack}"\n  }\n\n  variables {\n${assignments}  }\n\n${run.body}}\n`;
      }),
  );
  return `${head}${blocks.join('\n')}`;
}

/**
 * Runs the suites against synthesized stacks, offline and in one `terraform test`: a temp workspace
 * holding each stack as a module, the provider from the mirror, and `mock_provider "aws"` in the
 * suites, so no AWS call and no credentials.
 */
export function runTerraformTests(targets: Record<string, TftestTarget>, testDir = TFTEST_DIR): TftestResult {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-tftest-'));
  fs.writeFileSync(path.join(root, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'aws' } } } }));
  const workdir = TerraformWorkdir.fromStack(root, { provider: ProviderServer.shared() });
  fs.rmSync(root, { recursive: true, force: true });
  try {
    const suites = fs
      .readdirSync(testDir)
      .filter((name) => name.endsWith('.tftest.hcl'))
      .map((file) => ({ file, text: fs.readFileSync(path.join(testDir, file), 'utf8') }));
    // The suites' variables are the tests' own; declared in each module, it takes them without a warning.
    const variables = { variable: Object.fromEntries(suites.flatMap((suite) => suiteVariables(suite.text)).map((name) => [name, {}])) };
    for (const [stack, target] of Object.entries(targets)) {
      for (const file of fs.readdirSync(target.dir).filter((name) => name.endsWith('.tf.json'))) {
        workdir.write(path.join(stack, file), asChildModule(file, fs.readFileSync(path.join(target.dir, file), 'utf8')));
      }
      workdir.write(path.join(stack, 'zz_tftest_variables.tf.json'), JSON.stringify(variables));
    }
    for (const suite of suites) workdir.write(path.join('tftest', suite.file), suiteForStacks(suite.text, targets));
    // a real init: it installs the modules the run blocks name
    workdir.run('init', '-input=false', '-no-color', '-backend=false', '-test-directory=tftest');
    let output: string;
    try {
      output = workdir.run('test', '-test-directory=tftest', '-no-color');
    } catch (error) {
      output = (error as Error).message;
    }
    output = withoutDir(output, workdir.dir);
    const suiteRuns = suites.flatMap((suite) => [...suite.text.matchAll(RUN_BLOCK)].map((match) => match[1]));
    const runs: Record<string, Record<string, boolean>> = {};
    for (const [stack, target] of Object.entries(targets)) {
      runs[stack] = {};
      for (const run of suiteRuns.filter((name) => target.runs === undefined || target.runs.includes(name))) {
        runs[stack][run] = new RegExp(`run "${stack}_${run}"\\.\\.\\. pass`).test(output);
      }
    }
    const passed = /Success!/.test(output) && Object.values(runs).every((byRun) => Object.values(byRun).every(Boolean));
    return { passed, runs, output };
  } finally {
    workdir.dispose();
  }
}
