import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { synthesize } from '../src/synth';
import { EXAMPLE_FILE } from './support/synth';

/** A snapshot of every file under `dir`: relative path → contents. */
function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((entry) => fs.statSync(path.join(dir, entry)).isFile())
      .map((entry) => [entry, fs.readFileSync(path.join(dir, entry), 'utf8')]),
  );
}

function project(files: Record<string, string>): { environmentsDir: string; outdir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-project-'));
  const environmentsDir = path.join(root, 'environments');
  fs.mkdirSync(environmentsDir);
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(environmentsDir, name), text);
  return { environmentsDir, outdir: path.join(root, 'cdktf.out') };
}

describe('synthesize', () => {
  test('writes one stack per environment file and prints a summary', () => {
    // GIVEN
    const dirs = project({ 'stg.json': fs.readFileSync(EXAMPLE_FILE, 'utf8') });
    const info: string[] = [];
    // WHEN
    const result = synthesize({ ...dirs, info: (line) => info.push(line) });
    // THEN
    expect(result.exitCode).toBe(0);
    const file = path.join(dirs.outdir, 'stacks', 'stg', 'cdk.tf.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).resource).toBeDefined();
    expect(info).toEqual([`stg: 7 resources → ${file}`]);
  });

  test('an invalid file stops synth before anything is built, and leaves the previous output as it was', () => {
    // GIVEN a previous good synth, then a broken file beside the good one
    const dirs = project({ 'stg.json': fs.readFileSync(EXAMPLE_FILE, 'utf8') });
    synthesize({ ...dirs, info: () => undefined });
    const before = snapshot(dirs.outdir);
    fs.writeFileSync(path.join(dirs.environmentsDir, 'preview.json'), '{ "region": ');
    const errors: string[] = [];
    // WHEN
    const result = synthesize({ ...dirs, info: () => undefined, error: (line) => errors.push(line) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.stacks).toEqual([]);
    expect(errors[0]).toMatch(/^error: .*preview\.json: invalid JSON/);
    expect(errors.join('\n')).not.toMatch(/\n\s+at /); // no stack trace
    expect(snapshot(dirs.outdir)).toEqual(before);
    expect(Object.keys(before)).toContain(path.join('stacks', 'stg', 'cdk.tf.json'));
  });

  test('a failed first synth does not even create the output directory', () => {
    // GIVEN
    const dirs = project({ 'stg.json': '{}' });
    // WHEN
    const result = synthesize({ ...dirs, info: () => undefined, error: () => undefined });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(fs.existsSync(dirs.outdir)).toBe(false);
  });
});
