import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeExamples } from '../support/stacks';
import { tempProject } from '../support/environments';
import { PROJECT_ROOT } from '../support/synth';
import { describeWithTerraform, TerraformWorkdir } from '../support/terraform';

describeWithTerraform('an environment in lookup mode, with the real Terraform', () => {
  let workdir: TerraformWorkdir;
  beforeAll(() => {
    // GIVEN the lookup fixture as an environment of its own
    const fixture = fs.readFileSync(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json'), 'utf8');
    const project = tempProject({ lookup: fixture });
    workdir = TerraformWorkdir.fromStack(synthesizeExamples(project.environmentsDir).lookup).init();
  });
  afterAll(() => workdir?.dispose());

  test('terraform validate passes (data sources need no AWS call to validate)', () => {
    // WHEN
    const result = workdir.validate();
    // THEN
    expect(result.diagnostics).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
