import * as fs from 'node:fs';
import * as path from 'node:path';
import { stackState, STACK_MARKER } from '../src/synth/output';
import { synthesize, SynthOptions } from '../src/synth/synth';
import { PREVIEWS } from './support/bad-input-cases';
import { fixtureJson, setPath, snapshot, tempProject } from './support/environments';
import { LEGACY_DATABASE_WARNING } from './support/guardrails';

// Stale stack directories: a full synth (no stack named, no --preview) removes those it did not write,
// except those holding Terraform state, named in one warning line; a partial synth removes nothing.

const stgWithPreviews = (): Record<string, any> => ({ ...fixtureJson('stg'), ...structuredClone(PREVIEWS) });

type Project = ReturnType<typeof tempProject>;
const projects: Project[] = [];
afterAll(() => {
  for (const project of projects) fs.rmSync(project.root, { recursive: true, force: true });
});

/** stg (with previews) and preview, synthesized once with stg's preview of PR 5: cdktf.out/stacks/{preview,stg,stg-pr-5}. */
function synthesizedProject(): Project {
  const project = tempProject({ stg: stgWithPreviews(), preview: fixtureJson('preview') });
  projects.push(project);
  const first = run(project, { previews: { numbers: [5] } });
  if (first.exitCode !== 0) throw new Error(first.error.join('\n'));
  expect(stacks(project)).toEqual(['preview', 'stg', 'stg-pr-5']);
  return project;
}

function run(project: Project, options: Pick<SynthOptions, 'stacks' | 'previews'> = {}) {
  const lines = { info: [] as string[], error: [] as string[], warn: [] as string[] };
  const result = synthesize({
    environmentsDir: project.environmentsDir,
    outdir: project.outdir,
    ...options,
    info: (line) => lines.info.push(line),
    error: (line) => lines.error.push(line),
    warn: (line) => lines.warn.push(line),
  });
  return { exitCode: result.exitCode, ...lines };
}

const stacks = (project: Project) => fs.readdirSync(path.join(project.outdir, 'stacks')).sort();
const manifestStacks = (project: Project) => Object.keys(JSON.parse(fs.readFileSync(path.join(project.outdir, 'manifest.json'), 'utf8')).stacks).sort();
const stackDir = (project: Project, stack: string) => path.join(project.outdir, 'stacks', stack);
const STATE = JSON.stringify({ version: 4, serial: 3, lineage: 'x', outputs: {}, resources: [{ mode: 'managed', type: 'aws_ecs_service', name: 'stg_server', instances: [{}] }] });

describe('a full synth removes stale stack directories', () => {
  test('a closed preview, stg-pr-5, is removed by the next full synth, and leaves the manifest; no warning', () => {
    // GIVEN stg-pr-5 synthesized earlier
    const project = synthesizedProject();
    // WHEN every stack is synthesized, without PR 5
    const result = run(project);
    // THEN
    expect(result.exitCode).toBe(0);
    expect(stacks(project)).toEqual(['preview', 'stg']);
    expect(manifestStacks(project)).toEqual(['preview', 'stg']);
    expect(result.warn).toEqual([expect.stringMatching(LEGACY_DATABASE_WARNING)]); // preview.json's legacy service.database, on every synth
  });

  test('a stale directory holding a terraform.tfstate is kept and named, with the other kept ones, in one warning line', () => {
    // GIVEN stg-pr-5 with a local state, and preview (whose file is then deleted) pointing at its local backend's state outside it
    const project = synthesizedProject();
    fs.writeFileSync(path.join(stackDir(project, 'stg-pr-5'), 'terraform.tfstate'), STATE);
    fs.mkdirSync(path.join(stackDir(project, 'preview'), '.terraform'));
    fs.writeFileSync(path.join(stackDir(project, 'preview'), '.terraform', 'terraform.tfstate'), JSON.stringify({ version: 3, backend: { type: 'local', config: { path: '../../../terraform.preview.tfstate' } } }));
    fs.writeFileSync(path.join(project.root, 'terraform.preview.tfstate'), STATE);
    fs.rmSync(path.join(project.environmentsDir, 'preview.json'));
    // WHEN
    const result = run(project);
    // THEN both stay, out of the manifest (no file or preview makes them), and one line names them and their state
    expect(result.exitCode).toBe(0);
    expect(stacks(project)).toEqual(['preview', 'stg', 'stg-pr-5']);
    expect(manifestStacks(project)).toEqual(['stg']);
    expect(result.warn).toHaveLength(1);
    const [line] = result.warn;
    expect(line).toMatch(/^warning: kept 2 stale stack directories because of the Terraform state they hold: /);
    expect(line).toContain(`${path.relative(process.cwd(), stackDir(project, 'preview'))} (${path.relative(process.cwd(), path.join(project.root, 'terraform.preview.tfstate'))})`);
    expect(line).toContain(`${path.relative(process.cwd(), stackDir(project, 'stg-pr-5'))} (${path.relative(process.cwd(), path.join(stackDir(project, 'stg-pr-5'), 'terraform.tfstate'))})`);
    expect(line).not.toContain('\n');
    // AND the state is untouched
    expect(fs.readFileSync(path.join(stackDir(project, 'stg-pr-5'), 'terraform.tfstate'), 'utf8')).toBe(STATE);
  });

  test('a preview initialized against S3 (init records only the backend settings) holds no state here, and is removed', () => {
    // GIVEN what `terraform init` writes for an S3 backend, and a provider lock file
    const project = synthesizedProject();
    fs.mkdirSync(path.join(stackDir(project, 'stg-pr-5'), '.terraform'));
    fs.writeFileSync(path.join(stackDir(project, 'stg-pr-5'), '.terraform', 'terraform.tfstate'), JSON.stringify({ version: 3, backend: { type: 's3', config: { bucket: 'example-terraform-state', key: 'previews/stg/pr-5.tfstate' } } }));
    fs.writeFileSync(path.join(stackDir(project, 'stg-pr-5'), '.terraform.lock.hcl'), '# lock\n');
    // WHEN
    const result = run(project);
    // THEN
    expect(stacks(project)).toEqual(['preview', 'stg']);
    expect(result.warn).toEqual([expect.stringMatching(LEGACY_DATABASE_WARNING)]); // preview.json's legacy service.database, on every synth
  });

  test('the previews asked for in a full synth (PREVIEW_PULL_REQUESTS=7) are written and kept; the others removed', () => {
    // GIVEN
    const project = synthesizedProject();
    // WHEN
    const result = run(project, { previews: { numbers: [7] } });
    // THEN
    expect(result.exitCode).toBe(0);
    expect(stacks(project)).toEqual(['preview', 'stg', 'stg-pr-7']);
    expect(manifestStacks(project)).toEqual(['preview', 'stg', 'stg-pr-7']);
  });

  test('a directory synth did not write (no marker) stays', () => {
    // GIVEN
    const project = synthesizedProject();
    fs.mkdirSync(stackDir(project, 'handmade'));
    // WHEN
    run(project);
    // THEN
    expect(stacks(project)).toEqual(['handmade', 'preview', 'stg']);
  });
});

describe('a partial synth removes nothing', () => {
  test('npm run synth -- stg keeps a stale preview and a gone file’s stack, with or without state', () => {
    // GIVEN stg-pr-5 stale with a state, preview's file deleted
    const project = synthesizedProject();
    fs.writeFileSync(path.join(stackDir(project, 'stg-pr-5'), 'terraform.tfstate'), STATE);
    fs.rmSync(path.join(project.environmentsDir, 'preview.json'));
    const before = snapshot(path.join(project.outdir, 'stacks', 'preview'));
    // WHEN
    const result = run(project, { stacks: ['stg'] });
    // THEN both directories stay as they were; stg-pr-5 stays in the manifest (stg still has previews)
    expect(result.exitCode).toBe(0);
    expect(stacks(project)).toEqual(['preview', 'stg', 'stg-pr-5']);
    expect(snapshot(path.join(project.outdir, 'stacks', 'preview'))).toEqual(before);
    expect(manifestStacks(project)).toEqual(['stg', 'stg-pr-5']);
    expect(result.warn).toEqual([]);
  });

  test('--preview stg 7 writes its preview and removes nothing', () => {
    // GIVEN
    const project = synthesizedProject();
    // WHEN
    const result = run(project, { previews: { environment: 'stg', numbers: [7] } });
    // THEN
    expect(result.exitCode).toBe(0);
    expect(stacks(project)).toEqual(['preview', 'stg', 'stg-pr-5', 'stg-pr-7']);
    expect(fs.existsSync(path.join(stackDir(project, 'stg-pr-7'), STACK_MARKER))).toBe(true);
  });
});

describe('a failed full synth', () => {
  test('leaves cdktf.out exactly as it was, stale directories included', () => {
    // GIVEN a stale stg-pr-5, and an invalid stg
    const project = synthesizedProject();
    const before = snapshot(project.outdir);
    fs.writeFileSync(path.join(project.environmentsDir, 'stg.json'), JSON.stringify(setPath(stgWithPreviews(), 'listenerRule.priority', 0)));
    // WHEN
    const result = run(project);
    // THEN
    expect(result.exitCode).toBe(1);
    expect(snapshot(project.outdir)).toEqual(before);
  });
});

describe('stackState', () => {
  const dirWith = (files: Record<string, string>): string => {
    const project = tempProject({});
    projects.push(project);
    const dir = path.join(project.outdir, 'stacks', 'x');
    for (const [file, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), content);
    }
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  };

  test.each<[string, Record<string, string>, string[]]>([
    ['nothing but the synthesized files', { 'cdk.tf.json': '{}', [STACK_MARKER]: '' }, []],
    ['the local default terraform.tfstate, whatever it holds', { 'terraform.tfstate': '' }, ['terraform.tfstate']],
    ["an S3 apply's errored.tfstate", { 'errored.tfstate': STATE }, ['errored.tfstate']],
    ['a local workspace', { 'terraform.tfstate.d/dev/terraform.tfstate': STATE }, ['terraform.tfstate.d/dev/terraform.tfstate']],
    ["cdktf's local backend path, outside the directory", { 'cdk.tf.json': JSON.stringify({ terraform: { backend: { local: { path: '../../terraform.x.tfstate' } } } }), '../../terraform.x.tfstate': STATE }, ['../../terraform.x.tfstate']],
    ["cdktf's local backend path, with no state written yet", { 'cdk.tf.json': JSON.stringify({ terraform: { backend: { local: { path: '../../terraform.x.tfstate' } } } }) }, []],
    ['a legacy state in .terraform/', { '.terraform/terraform.tfstate': JSON.stringify({ version: 3, modules: [{ resources: {} }] }) }, ['.terraform/terraform.tfstate']],
    ["an S3 backend's settings after init", { '.terraform/terraform.tfstate': JSON.stringify({ version: 3, backend: { type: 's3', config: {} } }) }, []],
    ['only a backup', { 'terraform.tfstate.backup': STATE }, []],
  ])('%s', (_, files, state) => {
    // WHEN / THEN
    expect(stackState(dirWith(files))).toEqual(state);
  });
});
