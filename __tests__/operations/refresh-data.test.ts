import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../../src/synth/synth';
import { CLONE_ADDRESSES, failureLine, refreshSteps, refreshTarget } from '../../src/operations/refresh-data';
import { setPath, tempProject } from '../support/environments';
import { PROJECT_ROOT } from '../support/paths';

/**
 * `npm run refresh-data -- <stack>` (issue 27, "Refresh"), run as a person runs it, in a project whose
 * stg.json is the example with a masked clone, with stand-ins for `terraform` and `aws` first on PATH:
 * each records its arguments and where it ran, in one log, so the order of the calls is what is tested.
 * The service is scaled to 0 (and its working hours suspended) before the clone is replaced, and
 * nothing runs after a failure.
 */

const EXAMPLE = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'stg.json'), 'utf8'));
const HOURS = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' };
const CLONE = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', access: 'clone', clone: { mask: 'db/mask.sql' } };
const REPLACE = CLONE_ADDRESSES.map((address) => `-replace=${address}`);

function fileWith(set: Record<string, unknown>): Record<string, any> {
  const config = structuredClone(EXAMPLE);
  for (const [dotted, value] of Object.entries({ 'taskDefinition.container.secrets': undefined, ...set })) setPath(config, dotted, structuredClone(value));
  return config;
}

const STUB = String.raw`#!/usr/bin/env bash
record="${'$'}{0##*/}"
for arg in "$@"; do record+=$'\t'"$arg"; done
printf '%s\t@%s\n' "$record" "$PWD" >> "$STUB_LOG"
if [ -n "$STUB_FAIL" ] && [[ "${'$'}{0##*/} $*" == *"$STUB_FAIL"* ]]; then echo "Error: failing as the test asked" >&2; exit 3; fi
exit 0
`;

interface Call {
  readonly argv: string[];
  readonly cwd: string;
}

/** A project holding these files, synthesized once (as `npm run synth` would leave it), and a runner of the script in it. */
function project(files: Record<string, unknown>, synthesized = true) {
  const made = tempProject(files);
  if (synthesized) {
    const errors: string[] = [];
    const result = synthesize({ ...made, info: () => undefined, warn: () => undefined, error: (line) => errors.push(line) });
    if (result.exitCode !== 0) throw new Error(errors.join('\n'));
  }
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-refresh-bin-'));
  for (const program of ['terraform', 'aws']) fs.writeFileSync(path.join(bin, program), STUB, { mode: 0o755 });
  const run = (args: string[], options: { fail?: string } = {}) => {
    const log = path.join(bin, 'calls');
    fs.rmSync(log, { force: true });
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}:${process.env.PATH}`, STUB_LOG: log, STUB_FAIL: options.fail ?? '' };
    delete env.TERRAFORM_BIN;
    delete env.TERRAFORM_BINARY_NAME;
    delete env.STAGING_ENVIRONMENTS_DIR;
    const done = spawnSync(process.execPath, ['-r', path.join(PROJECT_ROOT, 'scripts/register-ts.js'), path.join(PROJECT_ROOT, 'scripts/refresh-data.ts'), ...args], { cwd: made.root, encoding: 'utf8', env });
    const calls: Call[] = fs.existsSync(log)
      ? fs.readFileSync(log, 'utf8').trim().split('\n').map((line) => {
          const fields = line.split('\t');
          return { argv: fields.slice(0, -1), cwd: fields.at(-1)!.slice(1) };
        })
      : [];
    return { ...done, calls, heads: calls.map((call) => call.argv.slice(0, 3).join(' ')), errorLines: done.stderr.split('\n').filter((line) => line.startsWith('error: ')) };
  };
  const dispose = () => {
    fs.rmSync(made.root, { recursive: true, force: true });
    fs.rmSync(bin, { recursive: true, force: true });
  };
  return { ...made, run, dispose };
}

describe('npm run refresh-data, a masked clone with working hours', () => {
  const p = project({ stg: fileWith({ 'service.database': CLONE, 'service.schedule': HOURS }) });
  afterAll(() => p.dispose());
  const stackDir = () => fs.realpathSync(path.join(p.root, 'cdktf.out', 'stacks', 'stg'));

  test('GIVEN the synthesized stack WHEN refreshed THEN init, then the working hours suspended at 0 and the service scaled to 0 and waited for, and only then terraform apply -replace of the clone\'s cluster and instance, in the stack\'s directory', () => {
    // WHEN
    const run = p.run(['stg', '--skip-synth']);
    // THEN
    expect(run.errorLines).toEqual([]);
    expect(run.status).toBe(0);
    expect(run.heads).toEqual(['terraform init -input=false', 'aws application-autoscaling register-scalable-target', 'aws ecs update-service', 'aws ecs wait', `terraform apply ${REPLACE[0]}`]);
    expect(run.calls[1].argv).toEqual([
      'aws', 'application-autoscaling', 'register-scalable-target', '--region', 'ap-northeast-1', '--service-namespace', 'ecs', '--resource-id', 'service/stg_ecs_cluster/stg-server',
      '--scalable-dimension', 'ecs:service:DesiredCount', '--min-capacity', '0', '--max-capacity', '0', '--suspended-state', 'DynamicScalingInSuspended=true,DynamicScalingOutSuspended=true,ScheduledScalingSuspended=true',
    ]);
    expect(run.calls[2].argv).toEqual(['aws', 'ecs', 'update-service', '--region', 'ap-northeast-1', '--cluster', 'stg_ecs_cluster', '--service', 'stg-server', '--desired-count', '0', '--query', 'service.desiredCount', '--output', 'text']);
    expect(run.calls[4].argv).toEqual(['terraform', 'apply', ...REPLACE]);
    // terraform runs where cdktf wrote the stack (and its backend)
    expect([run.calls[0].cwd, run.calls[4].cwd].map((cwd) => fs.realpathSync(cwd))).toEqual([stackDir(), stackDir()]);
    expect(run.stdout).toContain('stg: prod-db-stg-clone is a fresh copy-on-write clone of production\'s latest data; the masking job prod-db-stg-clone-mask starts on its instance\'s creation');
  });

  test('GIVEN the synthesized stack WHEN its JSON is read THEN it holds both addresses -replace names, and the instance is the one the masking job\'s rule waits for', () => {
    const json = JSON.parse(fs.readFileSync(path.join(stackDir(), 'cdk.tf.json'), 'utf8'));
    expect(json.resource.aws_rds_cluster).toHaveProperty('database_clone');
    expect(json.resource.aws_rds_cluster_instance.database_clone.depends_on).toContain('aws_cloudwatch_event_rule.database_clone_mask_start');
    expect(json.terraform.backend).toHaveProperty('s3');
  });

  test('GIVEN --auto-approve WHEN refreshed THEN terraform apply asks nothing', () => {
    const run = p.run(['stg', '--skip-synth', '--auto-approve']);
    expect(run.status).toBe(0);
    expect(run.calls.at(-1)!.argv).toEqual(['terraform', 'apply', '-input=false', '-auto-approve', ...REPLACE]);
  });

  test('GIVEN --dry-run WHEN run THEN it prints the commands in order and runs none', () => {
    // WHEN
    const run = p.run(['stg', '--dry-run']);
    // THEN
    expect(run.status).toBe(0);
    expect(run.calls).toEqual([]);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('stg: the commands refresh-data runs, in order (nothing is run):');
    expect(lines.slice(1).map((line) => line.replace(/^\(cd cdktf\.out\/stacks\/stg && (.*)\)$/, '$1').split(' ').slice(0, 3).join(' '))).toEqual([
      expect.stringMatching(/^node \S*scripts\/synth\.js stg$/),
      'terraform init -input=false',
      'aws application-autoscaling register-scalable-target',
      'aws ecs update-service',
      'aws ecs wait',
      `terraform apply ${REPLACE[0]}`,
    ]);
    expect(lines.at(-1)).toBe(`(cd cdktf.out/stacks/stg && terraform apply ${REPLACE.join(' ')})`);
  });

  test('GIVEN terraform apply fails WHEN refreshed THEN one line: the service stays at 0 with its working hours suspended, and how to serve again; the scale-down came first', () => {
    // WHEN
    const run = p.run(['stg', '--skip-synth'], { fail: 'terraform apply' });
    // THEN
    expect(run.status).toBe(1);
    expect(run.errorLines).toEqual([
      'error: replace the clone prod-db-stg-clone (terraform apply) failed (exit 3): the clone may be replaced only in part, and stg-server stays at 0 tasks with its working hours suspended; run npm run refresh-data -- stg again, or mask and serve the clone there is with aws codebuild start-build --region ap-northeast-1 --project-name prod-db-stg-clone-mask',
    ]);
    expect(run.heads.indexOf('aws ecs update-service')).toBeLessThan(run.heads.indexOf(`terraform apply ${REPLACE[0]}`));
  });

  test('GIVEN the scale-down fails WHEN refreshed THEN one line, and the clone is not replaced', () => {
    const run = p.run(['stg', '--skip-synth'], { fail: 'aws ecs update-service' });
    expect(run.status).toBe(1);
    expect(run.errorLines).toEqual([expect.stringMatching(/^error: scale stg-server to 0 tasks failed \(exit 3: Error: failing as the test asked\): the clone was not replaced; /)]);
    expect(run.heads).toEqual(['terraform init -input=false', 'aws application-autoscaling register-scalable-target', 'aws ecs update-service']);
  });

  test('GIVEN terraform init fails (its backend, its credentials) WHEN refreshed THEN one line, and nothing is scaled', () => {
    const run = p.run(['stg', '--skip-synth'], { fail: 'terraform init' });
    expect(run.status).toBe(1);
    expect(run.errorLines).toEqual([expect.stringMatching(/^error: terraform init in cdktf\.out\/stacks\/stg failed \(exit 3\): nothing was changed$/)]);
    expect(run.heads).toEqual(['terraform init -input=false']);
  });
});

describe('npm run refresh-data, the refusals and the other kinds of clone', () => {
  test('GIVEN a stack without a clone of its own WHEN refreshed THEN one line naming service.database, and nothing is run', () => {
    // GIVEN read-only access to production
    const p = project({ stg: fileWith({ 'service.database': { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: 'staging_reader', iamAuth: true } }) }, false);
    try {
      // WHEN
      const run = p.run(['stg']);
      // THEN
      expect(run.status).toBe(1);
      expect(run.errorLines).toEqual(['error: environments/stg.json: service.database.access: stg has no clone of its own (access "read-only"), so there is nothing to refresh; "clone" gives it one']);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.calls).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  test('GIVEN an unknown stack, a preview, and no stack WHEN refreshed THEN each is one line, and nothing is run', () => {
    const p = project({ stg: fileWith({ 'service.database': CLONE }) }, false);
    try {
      const unknown = p.run(['nope']);
      expect(unknown.status).toBe(1);
      expect(unknown.errorLines).toEqual(['error: no stack "nope"; the stacks of environments/ are: stg']);
      const preview = p.run(['stg-pr-7']);
      expect(preview.errorLines).toEqual([expect.stringMatching(/^error: stg-pr-7 is a preview: its clone is made with the preview and destroyed with it; destroy the preview \(npm run previews -- destroy stg 7\)/)]);
      const none = p.run([]);
      expect(none.errorLines).toEqual(['error: usage: npm run refresh-data -- <stack> [--auto-approve] [--skip-synth] [--dry-run]']);
      const bad = p.run(['stg', '--force']);
      expect(bad.errorLines).toEqual(['error: usage: npm run refresh-data -- <stack> [--auto-approve] [--skip-synth] [--dry-run]: unknown option --force']);
      for (const run of [unknown, preview, none, bad]) expect(run.calls).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  test('GIVEN --skip-synth and no synthesized stack WHEN refreshed THEN one line saying so, and nothing is run', () => {
    const p = project({ stg: fileWith({ 'service.database': CLONE }) }, false);
    try {
      const run = p.run(['stg', '--skip-synth']);
      expect(run.status).toBe(1);
      expect(run.errorLines).toEqual(['error: cdktf.out/stacks/stg/cdk.tf.json: stg is not synthesized (npm run synth -- stg, or leave out --skip-synth): nothing was changed']);
      expect(run.calls).toEqual([]);
    } finally {
      p.dispose();
    }
  });

  test('GIVEN a masked clone without working hours WHEN refreshed, synth included THEN it synthesizes the stack itself, then scales the service to 0 with update-service (no target to suspend) before the replace', () => {
    // GIVEN nothing synthesized yet
    const p = project({ stg: fileWith({ 'service.database': CLONE }) }, false);
    try {
      // WHEN
      const run = p.run(['stg']);
      // THEN
      expect(run.errorLines).toEqual([]);
      expect(run.status).toBe(0);
      expect(fs.existsSync(path.join(p.root, 'cdktf.out', 'stacks', 'stg', 'cdk.tf.json'))).toBe(true);
      expect(run.heads).toEqual(['terraform init -input=false', 'aws ecs update-service', 'aws ecs wait', `terraform apply ${REPLACE[0]}`]);
    } finally {
      p.dispose();
    }
  }, 60_000);

  test('GIVEN a clone unmasked by consent WHEN refreshed THEN the service is not scaled (nothing would scale it back): the clone is replaced, and it says why', () => {
    const p = project({ stg: fileWith({ 'service.database': { ...CLONE, clone: undefined, allowUnmaskedProductionData: true } }) });
    try {
      const run = p.run(['stg', '--skip-synth']);
      expect(run.status).toBe(0);
      expect(run.heads).toEqual(['terraform init -input=false', `terraform apply ${REPLACE[0]}`]);
      expect(run.stdout).toContain('stg: the clone is unmasked (allowUnmaskedProductionData), so stg-server keeps running and reconnects to the new clone');
    } finally {
      p.dispose();
    }
  });
});

describe('refreshSteps / failureLine', () => {
  const config = fileWith({ 'service.database': CLONE, 'service.schedule': HOURS }) as never;
  const target = refreshTarget('stg', 'environments/stg.json', config);

  test('GIVEN the target WHEN its steps are made THEN every scale-down step comes before the replace, and the replace is last', () => {
    const phases = refreshSteps(target, { terraform: 'terraform' }).map((step) => step.phase);
    expect(phases).toEqual(['synth', 'init', 'scale-down', 'scale-down', 'scale-down', 'replace']);
  });

  test('GIVEN terraform missing from PATH WHEN a step fails to start THEN the line says the program was not found', () => {
    const [, init] = refreshSteps(target, { terraform: 'terraform' });
    const enoent = Object.assign(new Error('spawnSync terraform ENOENT'), { code: 'ENOENT' });
    expect(failureLine(target, init, { status: null, error: enoent })).toBe('terraform init in cdktf.out/stacks/stg failed (terraform was not found): nothing was changed');
  });
});
