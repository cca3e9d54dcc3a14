import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from './support/paths';

interface Violation {
  readonly from: string;
  readonly to: string;
  readonly rule: { readonly name: string };
}

/**
 * dependency-cruiser over `src/` of each root, with the project's rules (.dependency-cruiser.cjs), in one
 * process (support/cruise.mjs): for each root, how many modules it read and the violations. One start for both trees, not one each: a start
 * costs about half of a cruise's CPU (measured).
 */
function cruise(...roots: string[]): Record<string, { modules: number; violations: Violation[] }> {
  const run = spawnSync(process.execPath, [path.join(__dirname, 'support', 'cruise.mjs'), path.join(PROJECT_ROOT, '.dependency-cruiser.cjs'), ...roots], { encoding: 'utf8' });
  if (run.status !== 0 || !run.stdout) throw new Error(`the cruise failed (exit ${run.status}): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** A small tree breaking each rule once, in a temp dir: an upward import, a guardrail reading config, a module outside the layers, a cycle, a reach into cdktf internals. */
function brokenTree(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-layers-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text);
  };
  fs.copyFileSync(path.join(PROJECT_ROOT, 'tsconfig.json'), path.join(root, 'tsconfig.json'));
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(root, 'node_modules'));
  write('src/guardrails/pack.ts', 'export const RULES = [];\n');
  write('src/environment/schema.ts', "import { RULES } from '../guardrails/pack';\nexport const IDS = RULES;\n");
  write('src/environment/config.ts', 'export const CONFIG = {};\n');
  write('src/guardrails/rule.ts', "import { CONFIG } from '../environment/config';\nexport const RULE = CONFIG;\n");
  write('src/loose.ts', "import { A } from './aws/a';\nexport const LOOSE = A;\n");
  write('src/aws/a.ts', "import { B } from './b';\nexport const A = B;\n");
  write('src/aws/b.ts', "import { A } from './a';\nexport const B = A;\n");
  write('src/constructs/x.ts', "import { resolve } from 'cdktf/lib/_tokens';\nexport const X = resolve;\n");
  return root;
}

describe('the layers of src/ (dependency-cruiser)', () => {
  // GIVEN the project's own tree, and a small tree breaking each rule once; WHEN both are cruised
  let broken: string;
  let cruised: Record<string, { modules: number; violations: Violation[] }>;
  beforeAll(() => {
    broken = brokenTree();
    cruised = cruise(PROJECT_ROOT, broken);
  });
  afterAll(() => fs.rmSync(broken, { recursive: true, force: true }));

  test('no import points up a layer, none reads config below the stack, no module is outside the layers, no cycle, and only the adapter imports cdktf internals', () => {
    // THEN
    // every module of src/ read (not an empty cruise), and none breaks a rule
    const sources = fs.readdirSync(path.join(PROJECT_ROOT, 'src'), { recursive: true }).filter((file) => String(file).endsWith('.ts'));
    expect(cruised[PROJECT_ROOT].modules).toBeGreaterThanOrEqual(sources.length);
    expect(cruised[PROJECT_ROOT].violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  test('the rules can fail: an upward import, a guardrail reading config, a module outside the layers, a cycle and a reach into cdktf internals are each found', () => {
    // THEN
    const names = new Set(cruised[broken].violations.map((v) => v.rule.name));
    expect([...names].sort()).toEqual(['cdktf-internals', 'constructs-pipeline-guardrails-import-config', 'environment-imports-above', 'no-circular', 'outside-the-layers']);
  });
});
