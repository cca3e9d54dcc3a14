import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURE_ENVIRONMENTS_DIR } from './paths';

export { FIXTURE_ENVIRONMENTS_DIR };

/** A fixture environment file as a plain object, for tests to mutate. */
export function fixtureJson(name = 'stg'): Record<string, any> {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_ENVIRONMENTS_DIR, `${name}.json`), 'utf8'));
}

/** Sets (or, with `undefined`, removes) the value at a dotted path, creating objects on the way. */
export function setPath(target: Record<string, any>, dotted: string, value: unknown): Record<string, any> {
  const keys = dotted.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) node = node[key] ??= {};
  const last = keys[keys.length - 1];
  if (value === undefined) delete node[last];
  else node[last] = value;
  return target;
}

/** A temp project with `environments/<name>.json` for each entry; returns its directories. */
export function tempProject(files: Record<string, unknown>): { root: string; environmentsDir: string; outdir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-project-'));
  const environmentsDir = path.join(root, 'environments');
  fs.mkdirSync(environmentsDir);
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(environmentsDir, `${name}.json`), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  return { root, environmentsDir, outdir: path.join(root, 'cdktf.out') };
}

/** Every file under `dir`: relative path → contents. */
export function snapshot(dir: string): Record<string, string> {
  if (!fs.existsSync(dir)) return {};
  return Object.fromEntries(
    (fs.readdirSync(dir, { recursive: true }) as string[])
      .filter((entry) => fs.statSync(path.join(dir, entry)).isFile())
      .map((entry) => [entry, fs.readFileSync(path.join(dir, entry), 'utf8')]),
  );
}
