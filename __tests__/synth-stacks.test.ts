import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { placeholdersIn } from '../src/environment/placeholders';
import { STACK_MARKER } from '../src/synth/output';
import { synthesize } from '../src/synth/synth';
import { fixtureJson, setPath, snapshot, tempProject } from './support/environments';
import { PROJECT_ROOT } from './support/paths';

/** synthesize() with every line captured. */
function run(project: { environmentsDir: string; outdir: string }, stacks?: string[]) {
  const lines = { info: [] as string[], error: [] as string[], warn: [] as string[] };
  const result = synthesize({
    ...project,
    stacks,
    info: (line) => lines.info.push(line),
    error: (line) => lines.error.push(line),
    warn: (line) => lines.warn.push(line),
  });
  return { ...result, ...lines };
}

const manifestStacks = (outdir: string) => Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).stacks);

describe('one stack at a time', () => {
  test('naming a stack writes only that stack, and leaves the others’ output and manifest entries alone', () => {
    // GIVEN both stacks synthesized once
    const project = tempProject({ stg: fixtureJson('stg'), preview: fixtureJson('preview') });
    run(project);
    const previewBefore = snapshot(path.join(project.outdir, 'stacks', 'preview'));
    fs.writeFileSync(path.join(project.environmentsDir, 'stg.json'), JSON.stringify(setPath(fixtureJson('stg'), 'service.desiredCount', 2)));
    fs.writeFileSync(path.join(project.environmentsDir, 'preview.json'), JSON.stringify(setPath(fixtureJson('preview'), 'service.desiredCount', 3)));
    // WHEN
    const result = run(project, ['stg']);
    // THEN
    expect(result.exitCode).toBe(0);
    expect(result.stacks.map((stack) => stack.node.id)).toEqual(['stg']);
    const stg = JSON.parse(fs.readFileSync(path.join(project.outdir, 'stacks', 'stg', 'cdk.tf.json'), 'utf8'));
    expect(stg.resource.aws_ecs_service.stg_server.desired_count).toBe(2);
    expect(snapshot(path.join(project.outdir, 'stacks', 'preview'))).toEqual(previewBefore);
    expect(manifestStacks(project.outdir)).toEqual(['preview', 'stg']);
  });

  test('an unknown stack name is an error that lists the known stacks, and nothing is written', () => {
    // GIVEN
    const project = tempProject({ stg: fixtureJson('stg') });
    // WHEN
    const result = run(project, ['nosuchstack']);
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.error).toEqual([`error: no stack "nosuchstack"; the stacks of ${project.environmentsDir}/ are: stg`]);
    expect(fs.existsSync(project.outdir)).toBe(false);
  });

  test("a teammate's broken file is a warning when another stack is named, and that stack is written", () => {
    // GIVEN a valid stg and a broken preview
    const project = tempProject({ stg: fixtureJson('stg'), preview: setPath(fixtureJson('preview'), 'listenerRule.priority', 0) });
    // WHEN
    const result = run(project, ['stg']);
    // THEN
    expect(result.exitCode).toBe(0);
    expect(result.warn).toEqual([expect.stringMatching(/^warning: .*preview\.json: listenerRule\.priority: must be an integer .* \(not a named stack, so not an error in this run\)$/)]);
    expect(fs.existsSync(path.join(project.outdir, 'stacks', 'stg', 'cdk.tf.json'))).toBe(true);
    expect(fs.existsSync(path.join(project.outdir, 'stacks', 'preview'))).toBe(false);
  });

  test('a collision between the named stack and an unnamed file is still an error', () => {
    // GIVEN preview takes stg's priority on the same listener
    const stg = fixtureJson('stg');
    const preview = setPath(setPath(fixtureJson('preview'), 'listenerRule.listenerArn', stg.listenerRule.listenerArn), 'listenerRule.priority', stg.listenerRule.priority);
    const project = tempProject({ stg, preview });
    // WHEN preview (the earlier file in name order, which the finding is not reported on) is named
    const result = run(project, ['preview']);
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.error).toContainEqual(expect.stringMatching(/^error: .*stg\.json: listenerRule\.priority: must be unique on the listener .*preview\.json uses it too/));
    expect(fs.existsSync(project.outdir)).toBe(false);
  });
});

/** The stg fixture under its own names and host, at `priority`: it collides with no other file but where a test says so. */
function elsewhere(name: string, priority: number): Record<string, any> {
  const config = fixtureJson('stg');
  for (const [field, value] of Object.entries({
    'listenerRule.priority': priority,
    'listenerRule.hostHeader': `${name}.example.com`,
    'dnsRecord.name': `${name}.example.com`,
    'dnsRecord.setIdentifier': name,
    'targetGroup.name': `${name}-target`,
    'cluster.name': `${name}-cluster`,
    'taskDefinition.family': name,
    'service.name': name,
    'ecrLifecycle.repository': `${name}-api`,
  })) setPath(config, field, value);
  delete config.taskDefinition.container.image;
  delete config.pipeline;
  return config;
}

describe('all errors in one run', () => {
  test('shape, cross-field, cross-file and guardrail errors of different files are reported together', () => {
    // GIVEN a: a shape error; b: a cross-field error; c: a guardrail error; d and e: a collision
    const project = tempProject({
      a: setPath(fixtureJson('stg'), 'service.desiredCount', -1),
      b: setPath(fixtureJson('preview'), 'dnsRecord.name', 'other.example.com'),
      c: setPath(elsewhere('c', 300), 'taskDefinition.container.environment', { DB_PASSWORD: 'not-a-reference' }),
      d: elsewhere('d', 400),
      e: setPath(elsewhere('e', 500), 'listenerRule.priority', 400),
    });
    // WHEN
    const result = run(project);
    // THEN each kind is there, and the files that stopped early say so
    const errors = result.error.join('\n');
    expect(result.exitCode).toBe(1);
    expect(errors).toMatch(/a\.json: service\.desiredCount: must be an integer from 0 to 5000/);
    expect(errors).toMatch(/a\.json: \d+ more checks \(cross-field, across files, guardrails\) skipped until these are fixed/);
    expect(errors).toMatch(/b\.json: dnsRecord\.name: must /);
    expect(errors).toMatch(/b\.json: \d+ more checks \(guardrails\) skipped until these are fixed/);
    expect(errors).toMatch(/c\.json: aws_ecs_task_definition\.stg_server: STG-PlainSecrets: /);
    expect(errors).toMatch(/e\.json: listenerRule\.priority: must be unique on the listener/);
    expect(result.error[result.error.length - 1]).toMatch(/^synth stopped: \d+ error\(s\); nothing was written$/);
    expect(fs.existsSync(project.outdir)).toBe(false);
  });
});

describe('the output directory', () => {
  test('a stack whose file is gone is removed on the next synth; a directory this project did not write stays', () => {
    // GIVEN stg and preview synthesized, and a stack directory someone else put there
    const project = tempProject({ stg: fixtureJson('stg'), preview: fixtureJson('preview') });
    run(project);
    fs.mkdirSync(path.join(project.outdir, 'stacks', 'handmade'));
    fs.rmSync(path.join(project.environmentsDir, 'preview.json'));
    // WHEN
    const result = run(project);
    // THEN
    expect(result.exitCode).toBe(0);
    expect(fs.readdirSync(path.join(project.outdir, 'stacks')).sort()).toEqual(['handmade', 'stg']);
    expect(fs.existsSync(path.join(project.outdir, 'stacks', 'stg', STACK_MARKER))).toBe(true);
    expect(manifestStacks(project.outdir)).toEqual(['stg']);
  });
});

const SYNTH = path.join(PROJECT_ROOT, 'scripts', 'synth.js');
const NEW = ['-r', path.join(PROJECT_ROOT, 'scripts', 'register-ts.js'), path.join(PROJECT_ROOT, 'scripts', 'new.ts')];
const env = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CDKTF_OUTDIR'));
const node = (cwd: string, args: string[]) => spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: env() });

describe('examples or the team’s files', () => {
  test('with no environment file yet, npm run synth builds the examples and says so', () => {
    // GIVEN a project whose environments/ holds only the JSON Schema, and examples/ the examples
    const project = tempProject({});
    fs.writeFileSync(path.join(project.environmentsDir, 'environment.schema.json'), '{}');
    fs.mkdirSync(path.join(project.root, 'examples'));
    fs.writeFileSync(path.join(project.root, 'examples', 'stg.json'), JSON.stringify(fixtureJson('stg')));
    // WHEN
    const synth = node(project.root, [SYNTH]);
    // THEN
    expect(synth.status).toBe(0);
    expect(synth.stdout).toMatch(/^no environment files in environments\/ yet: synthesizing the examples in examples\/ \(start yours with npm run new -- <name>\)\nstg: 16 resources/);
  });

  test('once the team has a file, only the team’s stacks are built, and the examples’ output is removed', () => {
    // GIVEN the examples synthesized, then a team file
    const project = tempProject({});
    fs.mkdirSync(path.join(project.root, 'examples'));
    fs.writeFileSync(path.join(project.root, 'examples', 'stg.json'), JSON.stringify(fixtureJson('stg')));
    node(project.root, [SYNTH]);
    fs.writeFileSync(path.join(project.environmentsDir, 'acme.json'), JSON.stringify(fixtureJson('preview')));
    // WHEN
    const synth = node(project.root, [SYNTH]);
    // THEN
    expect(synth.status).toBe(0);
    expect(synth.stdout).toBe('acme: 22 resources → cdktf.out/stacks/acme/cdk.tf.json\n');
    expect(fs.readdirSync(path.join(project.outdir, 'stacks'))).toEqual(['acme']);
  });
});

describe('STAGING_ENVIRONMENTS_DIR', () => {
  test('points synth at the directory it names, whatever environments/ holds: how the kit’s tests name the examples', () => {
    // GIVEN a team file in environments/, and the examples beside it
    const project = tempProject({ acme: fixtureJson('preview') });
    fs.mkdirSync(path.join(project.root, 'examples'));
    fs.writeFileSync(path.join(project.root, 'examples', 'stg.json'), JSON.stringify(fixtureJson('stg')));
    // WHEN
    const synth = spawnSync(process.execPath, [SYNTH], { cwd: project.root, encoding: 'utf8', env: { ...env(), STAGING_ENVIRONMENTS_DIR: 'examples' } });
    // THEN only the examples are built, and nothing says they stand in for the team's files
    expect(synth.stderr).toBe('');
    expect(synth.stdout).toBe('stg: 16 resources → cdktf.out/stacks/stg/cdk.tf.json\n');
  });

  test('a directory that does not exist is a one-line error naming it', () => {
    // GIVEN
    const project = tempProject({ acme: fixtureJson('preview') });
    // WHEN
    const synth = spawnSync(process.execPath, [SYNTH], { cwd: project.root, encoding: 'utf8', env: { ...env(), STAGING_ENVIRONMENTS_DIR: 'nowhere' } });
    // THEN
    expect(synth.status).toBe(1);
    expect(synth.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: nowhere: directory not found/)]);
    expect(fs.existsSync(project.outdir)).toBe(false);
  });
});

describe('npm run new', () => {
  test('writes environments/<name>.json whose every placeholder synth names, with what to put there', () => {
    // GIVEN an empty project
    const project = tempProject({});
    // WHEN
    const created = node(project.root, [...NEW, 'acme']);
    const synth = node(project.root, [SYNTH, 'acme']);
    // THEN
    expect(created.status).toBe(0);
    const file = JSON.parse(fs.readFileSync(path.join(project.environmentsDir, 'acme.json'), 'utf8'));
    expect(file.$schema).toBe('./environment.schema.json');
    const placeholders = placeholdersIn(file);
    expect(placeholders.length).toBeGreaterThanOrEqual(8);
    expect(synth.status).toBe(1);
    const errors = synth.stderr.split('\n').filter((line) => line.startsWith('error: '));
    expect(errors).toHaveLength(placeholders.length);
    expect(errors).toContain('error: environments/acme.json: listenerRule.priority: is still a placeholder: replace it with a priority no rule of that listener uses, an integer from 1 to 50000');
    expect(synth.stderr).not.toMatch(/\n\s+at /);
  });

  /** The placeholders of a file from `npm run new`, filled in: one account, one ALB; `host`, `priority` and `repository` per file. */
  const filledIn = (host: string, priority: number, repository: string): Record<string, unknown> => ({
    region: 'eu-west-1',
    'service.subnetIds.0': 'subnet-0a1b2c3d4e5f60718',
    'service.loadBalancerSecurityGroupId': 'sg-0a1b2c3d4e5f60718',
    'listenerRule.loadBalancer.name': 'acme-production',
    'listenerRule.priority': priority,
    'listenerRule.hostHeader': host,
    'listenerRule.access.sourceIps.0': '198.51.100.0/24',
    'dnsRecord.zoneName': 'acme.test',
    'dnsRecord.name': host,
    'ecrLifecycle.repository': repository,
  });
  /** `npm run new -- <name>` in the project, then its placeholders replaced by `values`. */
  const newFilledIn = (project: { root: string; environmentsDir: string }, name: string, values: Record<string, unknown>) => {
    const created = node(project.root, [...NEW, name]);
    expect(created.stderr).toBe('');
    const fileName = path.join(project.environmentsDir, `${name}.json`);
    const file = JSON.parse(fs.readFileSync(fileName, 'utf8'));
    expect(placeholdersIn(file).map((p) => p.path.join('.')).sort()).toEqual(Object.keys(values).sort());
    for (const [dotted, value] of Object.entries(values)) setPath(file, dotted, value);
    fs.writeFileSync(fileName, JSON.stringify(file));
    return file;
  };
  const stackJson = (project: { outdir: string }, name: string) => JSON.parse(fs.readFileSync(path.join(project.outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

  test('filled in, the file synthesizes without a warning: its defaults pass every guardrail', () => {
    // GIVEN the new file with every placeholder replaced by a real value
    const project = tempProject({});
    newFilledIn(project, 'acme', filledIn('stg-api.acme.test', 120, 'acme-api'));
    // WHEN
    const synth = node(project.root, [SYNTH]);
    // THEN
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    expect(synth.stdout).toMatch(/^acme: \d+ resources → cdktf\.out\/stacks\/acme\/cdk\.tf\.json\n$/);
  });

  test('the names of what the stack creates come from <name>: the write-up’s, with "stg" replaced', () => {
    // GIVEN an empty project
    const project = tempProject({});
    // WHEN
    node(project.root, [...NEW, 'acme_api']);
    // THEN
    const file = JSON.parse(fs.readFileSync(path.join(project.environmentsDir, 'acme_api.json'), 'utf8'));
    expect(file.taskDefinition.family).toBe('acme_api-server');
    expect(file.taskDefinition.container.name).toBe('acme_api-server');
    expect(file.cluster.name).toBe('acme_api_ecs_cluster');
    expect(file.service.name).toBe('acme_api-server');
    // ELBv2 takes hyphens only
    expect(file.targetGroup.name).toBe('acme-api-server-target');
    // the log group and the build project follow the family (the file writes no pipeline)
    expect(file.taskDefinition.container.logGroup).toBeUndefined();
    expect(file.pipeline).toBeUndefined();
  });

  test('two files made by npm run new with different names, filled in, synthesize together without a collision', () => {
    // GIVEN two new files in one account, region and ALB, each with its own host, priority and repository
    const project = tempProject({});
    newFilledIn(project, 'acme', filledIn('stg-api.acme.test', 120, 'acme-api'));
    newFilledIn(project, 'billing', filledIn('stg-billing.acme.test', 130, 'acme-billing'));
    // WHEN both are synthesized in one run (the rules across files compare them)
    const synth = node(project.root, [SYNTH]);
    // THEN no error or warning, and every name the stacks give differs
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const names = (name: string) => {
      const stack = stackJson(project, name).resource;
      return [
        stack.aws_ecs_task_definition.stg_server.family,
        stack.aws_ecs_cluster.stg_ecs_cluster.name,
        stack.aws_ecs_service.stg_server.name,
        stack.aws_lb_target_group.stg_server_target.name,
        stack.aws_cloudwatch_log_group.stg_server.name,
        ...Object.values(stack.aws_iam_role as Record<string, { name: string }>).map((role) => role.name),
        ...Object.values(stack.aws_security_group as Record<string, { name: string }>).map((group) => group.name),
      ];
    };
    expect(names('acme')).toEqual(expect.arrayContaining(['acme-server', 'acme_ecs_cluster', 'acme-server-target', 'acme-server-execution']));
    expect(names('billing')).toEqual(expect.arrayContaining(['billing-server', 'billing_ecs_cluster', 'billing-server-target', 'billing-server-execution']));
    expect(names('acme').filter((name) => names('billing').includes(name))).toEqual([]);
  });

  test('a long name still gives a target group name ELBv2 takes, and two long names with one beginning differ', () => {
    // GIVEN two names of 41 characters (the longest) that share their first 30
    const project = tempProject({});
    const [first, second] = ['customer-portal-payments-stagi-a-long-one', 'customer-portal-payments-stagi-b-long-one'];
    // WHEN
    const a = newFilledIn(project, first, filledIn('stg-a.acme.test', 120, 'acme-a'));
    const b = newFilledIn(project, second, filledIn('stg-b.acme.test', 130, 'acme-b'));
    const synth = node(project.root, [SYNTH]);
    // THEN
    expect(a.targetGroup.name).toMatch(/^customer-portal-paym-[0-9a-f]{4}-target$/);
    expect(a.targetGroup.name).toHaveLength(32);
    expect(b.targetGroup.name).not.toBe(a.targetGroup.name);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
  });

  test('a name too long for the IAM roles it names is a one-line error, and nothing is written', () => {
    // GIVEN a name of 42 characters: "<name>-server-build-codebuild" would pass IAM's 64
    const project = tempProject({});
    // WHEN
    const run = node(project.root, [...NEW, 'a'.repeat(42)]);
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`error: "${'a'.repeat(42)}": the name must be at most 41 characters: it names the IAM roles, the longest "${'a'.repeat(42)}-server-build-codebuild" once a pipeline is added, and IAM role names are at most 64\n`);
    expect(fs.readdirSync(project.environmentsDir)).toEqual([]);
  });

  test('refuses to overwrite a file, and a name that cannot be a stack name', () => {
    // GIVEN
    const project = tempProject({ acme: fixtureJson('stg') });
    const before = snapshot(project.environmentsDir);
    // WHEN
    const again = node(project.root, [...NEW, 'acme']);
    const badName = node(project.root, [...NEW, '1st env']);
    const none = node(project.root, NEW);
    // THEN
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('error: environments/acme.json exists already; nothing was written\n');
    expect(badName.status).toBe(1);
    expect(badName.stderr).toMatch(/^error: "1st env": the name is the stack name/);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^error: usage: npm run new -- <name>/);
    expect(snapshot(project.environmentsDir)).toEqual(before);
  });
});

describe('without Terraform on PATH', () => {
  test('a file with adopt is a one-line error (cdktf would throw a stack trace), and a file without adopt synthesizes', () => {
    // GIVEN the lookup fixture (it adopts seven resources), a file without adopt, and a PATH with no terraform
    const lookup = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'), 'utf8'));
    const project = tempProject({ lookup, plain: elsewhere('plain', 700) });
    const noTerraform = { ...env(), PATH: fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'stg-empty-path-')), TERRAFORM_BINARY_NAME: '' };
    const synth = (stack: string) => spawnSync(process.execPath, [SYNTH, stack], { cwd: project.root, encoding: 'utf8', env: noTerraform });
    // WHEN
    const adopting = synth('lookup');
    const plain = synth('plain');
    // THEN
    expect(adopting.status).toBe(1);
    expect(adopting.stderr).toContain('error: environments/lookup.json: adopt: import and moved blocks need Terraform >= 1.5 on PATH');
    expect(adopting.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(project.outdir, 'stacks', 'lookup'))).toBe(false);
    expect(plain.status).toBe(0);
  });
});

describe('whatever a file holds', () => {
  test('an array nested 100,000 deep is one error line, exit 1, never a stack trace', () => {
    // GIVEN
    const project = tempProject({ deep: `{"region":${'['.repeat(100000)}${']'.repeat(100000)}}` });
    // WHEN
    const synth = node(project.root, [SYNTH]);
    // THEN
    expect(synth.status).toBe(1);
    expect(synth.stderr).toMatch(/^error: environments\/deep\.json: \(file\): nested more than \d+ levels deep \(line 1, column \d+\)\n(environments\/deep\.json: \d+ more checks [^\n]*\n)?synth stopped[^\n]*\n$/);
    expect(fs.existsSync(project.outdir)).toBe(false);
  });
});
