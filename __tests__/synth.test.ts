import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesize } from '../src/synth/synth';
import { fixtureJson, snapshot, tempProject } from './support/environments';
import { LEGACY_DATABASE_WARNING } from './support/guardrails';
import { PROJECT_ROOT } from './support/paths';

describe('synthesize', () => {
  test('writes one stack per environment file and prints a summary', () => {
    // GIVEN
    const project = tempProject({ stg: fixtureJson('stg') });
    const info: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: (line) => info.push(line) });
    // THEN
    expect(result.exitCode).toBe(0);
    const file = path.join(project.outdir, 'stacks', 'stg', 'cdk.tf.json');
    expect(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8')).resource)).toHaveLength(15);
    expect(info).toEqual([`stg: 16 resources → ${file}`]);
  });

  test('an invalid file stops synth before anything is built, and leaves the previous output as it was', () => {
    // GIVEN a previous good synth, then a broken file beside the good one
    const project = tempProject({ stg: fixtureJson('stg') });
    synthesize({ ...project, info: () => undefined });
    const before = snapshot(project.outdir);
    fs.writeFileSync(path.join(project.environmentsDir, 'preview.json'), '{ "region": ');
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.stacks).toEqual([]);
    expect(errors[0]).toMatch(/^error: .*preview\.json: \(file\): invalid JSON/);
    expect(snapshot(project.outdir)).toEqual(before);
    expect(Object.keys(before)).toContain(path.join('stacks', 'stg', 'cdk.tf.json'));
  });

  test('a file name with a newline: every line synth prints is one whole message, the name quoted', () => {
    // GIVEN environments/a<newline>b.json beside a good file, and a synth that names a stack that is not there
    const project = tempProject({ stg: fixtureJson('stg') });
    fs.writeFileSync(path.join(project.environmentsDir, 'a\nb.json'), JSON.stringify(fixtureJson('stg')));
    const lines: string[] = [];
    // WHEN
    const result = synthesize({ ...project, stacks: ['nope'], info: (line) => lines.push(line), warn: (line) => lines.push(line), error: (line) => lines.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toMatch(/[\n\r]/);
    expect(lines).toContainEqual(expect.stringMatching(/^error: no stack "nope"; the stacks of .* are: "a\\nb", stg$/));
  });

  test('a failed first synth does not even create the output directory', () => {
    // GIVEN
    const project = tempProject({ stg: '{}' });
    // WHEN
    const result = synthesize({ ...project, info: () => undefined, error: () => undefined });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(fs.existsSync(project.outdir)).toBe(false);
  });
});

/** `npm run synth` (the cached esbuild bundle), and main.ts through the per-file transpiler it falls back to. */
const LAUNCHERS: [string, string[]][] = [
  ['scripts/synth.js (npm run synth)', [path.join(PROJECT_ROOT, 'scripts', 'synth.js')]],
  ['main.ts through register-ts', ['-r', path.join(PROJECT_ROOT, 'scripts', 'register-ts.js'), path.join(PROJECT_ROOT, 'main.ts')]],
];
const envWithoutOutdir = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'CDKTF_OUTDIR'));

describe.each(LAUNCHERS)('%s', (_name, args) => {
  test('writes the same stacks as synthesize() in-process', () => {
    // GIVEN the two examples, synthesized in-process as the reference
    // (from the project's directory, as the spawned synth runs: paths in the output are relative to it)
    const project = tempProject({ stg: fixtureJson('stg'), preview: fixtureJson('preview') });
    const reference = path.join(project.root, 'reference');
    const cwd = process.cwd();
    process.chdir(project.root);
    try {
      synthesize({ environmentsDir: 'environments', outdir: 'reference', info: () => undefined });
    } finally {
      process.chdir(cwd);
    }
    // WHEN
    const run = spawnSync(process.execPath, args, { cwd: project.root, encoding: 'utf8', env: envWithoutOutdir() });
    // THEN (the preview example keeps the legacy service.database: its one warning, on every synth)
    expect(run.stderr.trimEnd()).toMatch(LEGACY_DATABASE_WARNING);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^preview: 22 resources → cdktf\.out\/stacks\/preview\/cdk\.tf\.json\nstg: 16 resources/);
    for (const stack of ['stg', 'preview']) {
      expect(fs.readFileSync(path.join(project.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')).toBe(fs.readFileSync(path.join(reference, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    }
  });

  test('bad input: exit code 1, one line per error, no stack trace, cdktf.out untouched', () => {
    // GIVEN a project with output from an earlier synth and now a wrong priority
    const project = tempProject({ stg: fixtureJson('stg') });
    synthesize({ ...project, info: () => undefined });
    const before = snapshot(project.outdir);
    fs.writeFileSync(path.join(project.environmentsDir, 'stg.json'), JSON.stringify({ ...fixtureJson('stg'), listenerRule: { ...fixtureJson('stg').listenerRule, priority: 0 } }));
    // WHEN
    const run = spawnSync(process.execPath, args, { cwd: project.root, encoding: 'utf8', env: envWithoutOutdir() });
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(
        '^error: environments/stg\\.json: listenerRule\\.priority: must be an integer from 1 to 50000 \\(got 0\\)\n' +
          'environments/stg\\.json: \\d+ more checks \\(cross-field, across files, guardrails\\) skipped until these are fixed\n' +
          'synth stopped: 1 error\\(s\\); nothing was written\n$',
      ),
    );
    expect(run.stdout).toBe('');
    expect(snapshot(project.outdir)).toEqual(before);
  });
});
