import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { partitionOf } from '../aws/iam';
import { DATABASE_ENGINES, DatabaseEngine, defaultPort } from '../aws/rds';
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
  /**
   * `override_data` values for the stack's lookups, by address (`data.aws_rds_cluster.production`),
   * merged attribute by attribute over those `runTerraformTests` derives from the stack (`lookupOverrides`).
   * @default - the derived ones only
   */
  readonly overrideData?: Record<string, Record<string, unknown>>;
}

/** The mocked account: the one of the examples' ARNs and of the suite's `mock_provider` defaults. */
const MOCK_ACCOUNT = '123456789012';
/** The master user of a mocked database: upper case, which no `service.database.user` may be. */
export const MOCK_MASTER_USER = 'MockMaster';

type StackJson = { data?: Record<string, Record<string, Record<string, any>>>; provider?: { aws?: { region?: string }[] } };

/** The engine a lookup's postcondition says the database runs (`self.engine == "<engine>"`). */
function postconditionEngine(lookup: Record<string, any>): DatabaseEngine | undefined {
  const conditions: { condition?: string }[] = lookup.lifecycle?.postcondition ?? [];
  for (const { condition } of conditions) {
    const engine = /self\.engine == "([a-z-]+)"/.exec(condition ?? '')?.[1];
    if (engine && (DATABASE_ENGINES as readonly string[]).includes(engine)) return engine as DatabaseEngine;
  }
  return undefined;
}

/**
 * `mock_provider` invents every computed value of a data source, and a production database looked up
 * with postconditions (src/constructs/production-database.ts) would fail on them: a random engine, IAM
 * authentication off, no reader. These are the values of the database the stack names, as AWS would
 * answer for it: its identifier, the engine its postcondition names, that engine's port, IAM
 * authentication on, a writer and a reader, a master user other than staging's, ARNs and IDs in
 * AWS's shapes (the provider checks ARN formats even on mocks). Only `production` lookups are covered.
 */
export function lookupOverrides(stack: StackJson): Record<string, Record<string, unknown>> {
  const region = stack.provider?.aws?.[0]?.region ?? 'us-east-1';
  const partition = partitionOf(region);
  const overrides: Record<string, Record<string, unknown>> = {};
  const cluster = stack.data?.aws_rds_cluster?.production;
  if (cluster) {
    const id = String(cluster.cluster_identifier).toLowerCase();
    const engine = postconditionEngine(cluster);
    overrides['data.aws_rds_cluster.production'] = {
      id,
      cluster_identifier: id,
      arn: `arn:${partition}:rds:${region}:${MOCK_ACCOUNT}:cluster:${id}`,
      cluster_resource_id: 'cluster-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      endpoint: `${id}.cluster-c0abcdefghij.${region}.rds.amazonaws.com`,
      reader_endpoint: `${id}.cluster-ro-c0abcdefghij.${region}.rds.amazonaws.com`,
      ...(engine ? { engine, port: defaultPort(engine) } : {}),
      iam_database_authentication_enabled: true,
      master_username: MOCK_MASTER_USER,
      // the writer and one reader
      cluster_members: [`${id}-1`, `${id}-2`],
      vpc_security_group_ids: ['sg-0dddddddddddddddd'],
    };
  }
  const instance = stack.data?.aws_db_instance?.production;
  if (instance) {
    const id = String(instance.db_instance_identifier).toLowerCase();
    const engine = postconditionEngine(instance);
    const address = `${id}.c0abcdefghij.${region}.rds.amazonaws.com`;
    overrides['data.aws_db_instance.production'] = {
      id,
      db_instance_identifier: id,
      db_instance_arn: `arn:${partition}:rds:${region}:${MOCK_ACCOUNT}:db:${id}`,
      resource_id: 'db-ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      address,
      ...(engine ? { engine, port: defaultPort(engine), endpoint: `${address}:${defaultPort(engine)}` } : {}),
      iam_database_authentication_enabled: true,
      master_username: MOCK_MASTER_USER,
      vpc_security_groups: ['sg-0dddddddddddddddd'],
    };
  }
  return overrides;
}

/** A JSON value as an HCL expression: JSON is one, once Terraform's template sequences are escaped. */
function hclValue(value: unknown): string {
  return JSON.stringify(value).replace(/([$%])\{/g, '$1$1{');
}

function overrideBlocks(overrides: Record<string, Record<string, unknown>> | undefined): string {
  return Object.entries(overrides ?? {})
    .map(([target, values]) => `  override_data {\n    target = ${target}\n    values = ${hclValue(values)}\n  }\n\n`)
    .join('');
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
        return `run "${stack}_${run.name}" {\n  module {\n    source = "./${stack}"\n  }\n\n  variables {\n${assignments}  }\n\n${overrideBlocks(target.overrideData)}${run.body}}\n`;
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
    // the stacks' lookups answer as the databases they name would, and as the target says on top
    const withOverrides = Object.fromEntries(
      Object.entries(targets).map(([stack, target]) => {
        const derived = lookupOverrides(JSON.parse(fs.readFileSync(path.join(target.dir, 'cdk.tf.json'), 'utf8')));
        const addresses = [...new Set([...Object.keys(derived), ...Object.keys(target.overrideData ?? {})])];
        const overrideData = Object.fromEntries(addresses.map((address) => [address, { ...derived[address], ...target.overrideData?.[address] }]));
        return [stack, { ...target, overrideData }];
      }),
    );
    for (const suite of suites) workdir.write(path.join('tftest', suite.file), suiteForStacks(suite.text, withOverrides));
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
