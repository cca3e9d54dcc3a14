import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { providerAwsSchemas, stackHcl } from '../../src/review';
import { JsonObject, renderHcl } from '../../src/review/hcl';
import { BOUNDARIES, stackWithCopies } from '../support/boundaries';
import { SHAPES, synthesizedStacks } from '../support/shapes';
import { synthesizeFixtures } from '../support/stacks';
import { describeWithTerraform, ProviderServer, TerraformWorkdir } from '../support/terraform';
import { asChildModule, childModuleConfig } from '../../src/terraform/offline';

/**
 * Everything `terraform validate` must accept or reject, in one workspace and one call (each call
 * costs ~4 s of provider schema):
 * - the hand-written shapes, rendered as HCL, as the root module;
 * - every stack (both examples and the lookup fixture) twice: as synthesized JSON (module.<stack>_json,
 *   what Terraform runs) and as `npm run review`'s HCL (module.<stack>);
 * - module.agreement: the stg stack with an inside and an outside copy of a resource per boundary that
 *   our validation shares with the provider (see agreement.test.ts).
 */
describeWithTerraform('terraform validate, once for every configuration', () => {
  const schemas = providerAwsSchemas();
  const stacks = synthesizedStacks();
  let workdir: TerraformWorkdir;
  let diagnostics: { severity: string; summary: string; address?: string; detail?: string }[];

  beforeAll(() => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-validate-'));
    const modules = [...Object.keys(stacks).flatMap((name) => [name, `${name}_json`]), 'agreement'];
    // Import blocks may only stand in the root module, so a stack's imports move there, aimed at module.<stack>.
    const imports = Object.entries(stacks).flatMap(([name, config]) =>
      ((config.import ?? []) as JsonObject[]).flatMap((item) => [{ ...item, to: `module.${name}.${item.to}` }, { ...item, to: `module.${name}_json.${item.to}` }]),
    );
    fs.writeFileSync(path.join(root, 'main.tf'), renderHcl(SHAPES, { schemas }));
    fs.writeFileSync(path.join(root, 'stacks.tf'), modules.map((name) => `module "${name}" {\n  source = "./stacks/${name}"\n}\n`).join('\n'));
    if (imports.length > 0) fs.writeFileSync(path.join(root, 'imports.tf'), renderHcl({ import: imports }, { schemas }));
    workdir = TerraformWorkdir.fromStack(root, { provider: ProviderServer.shared() });
    fs.rmSync(root, { recursive: true, force: true });
    for (const [name, { import: _imports, ...stack }] of Object.entries(stacks)) {
      const config = childModuleConfig(stack);
      workdir.write(path.join('stacks', name, 'main.tf'), stackHcl(name, config, schemas));
      workdir.write(path.join('stacks', `${name}_json`, 'cdk.tf.json'), JSON.stringify(config));
    }
    workdir.write(path.join('stacks', 'agreement', 'cdk.tf.json'), asChildModule('cdk.tf.json', stackWithCopies(synthesizeFixtures().stg)));
    // a real init: child modules must be installed, which the shared init copy does not do
    workdir.run('init', '-input=false', '-no-color', '-backend=false');
    diagnostics = workdir.validate().diagnostics;
  });
  afterAll(() => workdir?.dispose());

  const outsideAgreement = () => diagnostics.filter((d) => !(d.address ?? '').startsWith('module.agreement.'));

  test('terraform fmt -check finds nothing to change in the rendered HCL', () => {
    // WHEN (fmt exits non-zero, and run() throws, when a file would change)
    const changed = workdir.run('fmt', '-check', '-recursive', '-list=true', '-no-color');
    // THEN
    expect(changed).toBe('');
  });

  test('every stack, as synthesized (JSON) and as rendered (HCL), and the shapes: no error, no warning', () => {
    // THEN
    expect(outsideAgreement()).toEqual([]);
    expect(Object.keys(stacks)).toEqual(expect.arrayContaining(['stg', 'preview', 'lookup']));
  });

  test('agreement: every value just inside our limits passes, every value just outside is rejected at its own copy', () => {
    // THEN
    const rejected = diagnostics.filter((d) => d.severity === 'error' && (d.address ?? '').startsWith('module.agreement.')).map((d) => d.address!.replace('module.agreement.', ''));
    expect(rejected.sort()).toEqual(BOUNDARIES.map((boundary) => `${boundary.resource}.${boundary.name}_outside`).sort());
  });
});
