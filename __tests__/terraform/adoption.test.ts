import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeExamples } from '../support/stacks';
import { PROJECT_ROOT } from '../support/synth';
import { describeWithTerraform, TerraformWorkdir } from '../support/terraform';

const FIXTURE = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'article');
const STATE = fs.readFileSync(path.join(FIXTURE, 'terraform.tfstate'), 'utf8');
const ARTICLE_ADDRESSES = JSON.parse(STATE).resources.map((r: { type: string; name: string }) => `${r.type}.${r.name}`).sort();

/** Plans `workdir` against the article's state without refreshing (no AWS call). */
function planAgainstArticleState(workdir: TerraformWorkdir) {
  workdir.write('terraform.tfstate', STATE);
  return workdir.plannedChanges('-refresh=false');
}

describeWithTerraform('adopting a stack built from the article’s HCL', () => {
  const workdirs: TerraformWorkdir[] = [];
  afterAll(() => workdirs.forEach((workdir) => workdir.dispose()));

  test('the state fixture holds the article’s seven resources, and the article’s own HCL plans no change against it', () => {
    // GIVEN the article's HCL (with its three errors fixed) and a state built from its arguments
    const workdir = TerraformWorkdir.fromStack(FIXTURE).init();
    workdirs.push(workdir);
    // WHEN
    const changes = planAgainstArticleState(workdir);
    // THEN the fixture really is that HCL's state
    expect(changes.map((change) => change.address).sort()).toEqual(ARTICLE_ADDRESSES);
    expect(changes.filter((change) => change.actions.join() !== 'no-op')).toEqual([]);
  });

  describe('the synthesized stg stack', () => {
    let workdir: TerraformWorkdir;
    beforeAll(() => {
      workdir = TerraformWorkdir.fromStack(synthesizeExamples().stg).init();
      workdirs.push(workdir);
    });

    test('plans no change to any of the seven (same addresses, same values)', () => {
      // WHEN
      const changes = planAgainstArticleState(workdir);
      // THEN
      expect(changes.map((change) => change.address).sort()).toEqual(ARTICLE_ADDRESSES);
      expect(changes.filter((change) => change.actions.join() !== 'no-op')).toEqual([]);
    });

    test('control: a changed value does show up as a change, so the test above can fail', () => {
      // GIVEN the same stack with another health-check path
      const file = path.join(workdir.dir, 'cdk.tf.json');
      const original = fs.readFileSync(file, 'utf8');
      const stack = JSON.parse(original);
      stack.resource.aws_lb_target_group.stg_server_target.health_check.path = '/other';
      fs.writeFileSync(file, JSON.stringify(stack));
      try {
        // WHEN
        const changes = planAgainstArticleState(workdir);
        // THEN
        expect(changes.filter((change) => change.actions.join() !== 'no-op').map((change) => [change.address, change.actions])).toEqual([
          ['aws_lb_target_group.stg_server_target', ['update']],
        ]);
      } finally {
        fs.writeFileSync(file, original);
      }
    });
  });
});
