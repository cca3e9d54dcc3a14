import * as path from 'node:path';
import { importsUnder, layerViolations } from './support/layers';
import { PROJECT_ROOT } from './support/synth';

describe('layers of src/', () => {
  test('every import points to the same layer or one below, and only the adapter imports cdktf internals', () => {
    // GIVEN every import of src/
    const imports = importsUnder(PROJECT_ROOT, 'src');
    // WHEN / THEN
    expect(imports.length).toBeGreaterThan(100);
    expect(layerViolations(imports)).toEqual([]);
  });

  test('the check finds an upward import, a file in no layer, and a reach into cdktf internals', () => {
    // GIVEN imports that break each rule
    const imports = [
      { from: path.join('src', 'environment', 'schema.ts'), specifier: '../guardrails/pack', to: path.join('src', 'guardrails', 'pack') },
      { from: path.join('src', 'main.ts'), specifier: 'cdktf' },
      { from: path.join('src', 'guardrails', 'aspect.ts'), specifier: 'cdktf/lib/_tokens' },
    ];
    // WHEN / THEN
    expect(layerViolations(imports)).toEqual([
      `${imports[0].from} imports ../guardrails/pack: guardrails is above environment`,
      `${imports[1].from}: in no layer (aws, environment, pipeline, constructs, guardrails, stack, synth, terraform, review)`,
      `${imports[2].from} imports cdktf/lib/_tokens: cdktf internals only in src/synth/cdktf-adapter.ts`,
    ]);
  });
});
