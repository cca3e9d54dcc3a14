import * as path from 'node:path';
import { fixtureJson, setPath, tempProject } from '../support/environments';
import { synthesizeFixtures } from '../support/stacks';
import { describeWithTerraform, ProviderServer, TerraformWorkdir } from '../support/terraform';

/**
 * What Terraform does with the text of an environment file (the synthesized JSON is checked in
 * environment/bad-input.test.ts): free text is never evaluated, and a whole reference is.
 */
describeWithTerraform('terraform plan: free text stays text, a reference is evaluated', () => {
  const DESCRIPTION = '${path.cwd} %{ if true }yes%{ endif }';
  const GREETING = '${file("/etc/hostname")}';
  let plan: string;

  beforeAll(() => {
    // GIVEN free text Terraform would evaluate unescaped, and the VPC as a variable
    const config = fixtureJson('stg');
    setPath(config, 'ecrLifecycle.description', DESCRIPTION);
    setPath(config, 'taskDefinition.container.environment', { GREETING });
    setPath(config, 'targetGroup.vpcId', '${var.production_vpc_id}');
    const stackDir = synthesizeFixtures(tempProject({ stg: config }).environmentsDir).stg;
    const workdir = TerraformWorkdir.fromStack(stackDir, { provider: ProviderServer.shared() }).init();
    // WHEN
    try {
      plan = workdir.planText('-refresh=false', '-var', 'production_vpc_id=vpc-0fedcba9876543210');
    } finally {
      workdir.dispose();
    }
  });

  test('the description and the environment value reach the plan as written', () => {
    // (plan aligns the "=" of a block's attributes: any run of spaces)
    expect(plan).toMatch(new RegExp(`description += ${escape(JSON.stringify(DESCRIPTION))}`));
    expect(plan).toMatch(new RegExp(`value += ${escape(JSON.stringify(GREETING))}`));
  });

  test('nothing of the machine running the plan reaches it (no working directory, no file)', () => {
    expect(plan).not.toContain(path.resolve('.'));
    expect(plan).not.toContain('yes"');
  });

  test('the variable reference is evaluated: the target group gets its value', () => {
    expect(plan).toMatch(/\+ vpc_id += "vpc-0fedcba9876543210"/);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
