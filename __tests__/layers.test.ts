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
 * dependency-cruiser over `src/` of `root`, with the project's rules (.dependency-cruiser.cjs): its violations.
 * The project's own tree is cruised with depcruise's cache, by content (any changed file redoes the whole
 * cruise): 2.4 -> 1.1 s of CPU once warm (measured).
 */
function cruise(root: string): Violation[] {
  const cli = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'depcruise');
  const cache = root === PROJECT_ROOT ? ['--cache', path.join(PROJECT_ROOT, 'node_modules', '.cache', 'dependency-cruiser'), '--cache-strategy', 'content'] : [];
  const run = spawnSync(cli, ['src', '--config', path.join(PROJECT_ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', ...cache], { cwd: root, encoding: 'utf8' });
  if (!run.stdout) throw new Error(`depcruise printed nothing: ${run.stderr}`);
  return JSON.parse(run.stdout).summary.violations;
}

describe('the layers of src/ (dependency-cruiser)', () => {
  test('no import points up a layer, none reads config below the stack, no module is outside the layers, no cycle, and only the adapter imports cdktf internals', () => {
    // GIVEN / WHEN
    const violations = cruise(PROJECT_ROOT);
    // THEN
    expect(violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  test('the rules can fail: an upward import, a guardrail reading config, a module outside the layers, a cycle and a reach into cdktf internals are each found', () => {
    // GIVEN a small tree breaking each rule once
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
    try {
      // WHEN
      const names = new Set(cruise(root).map((v) => v.rule.name));
      // THEN
      expect([...names].sort()).toEqual(['cdktf-internals', 'constructs-pipeline-guardrails-import-config', 'environment-imports-above', 'no-circular', 'outside-the-layers']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
