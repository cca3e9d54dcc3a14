import * as fs from 'node:fs';
import * as path from 'node:path';
import { synthesizeExamples } from '../support/stacks';
import { ARTICLE_ADDRESSES, PRODUCTION_SIDE } from '../support/synth';
import { describeWithTerraform, PlanResult, TerraformWorkdir } from '../support/terraform';

const stacks = synthesizeExamples();

describeWithTerraform('the example stacks, with the real Terraform (offline)', () => {
  describe.each(['stg', 'preview'])('%s', (name) => {
    let workdir: TerraformWorkdir;
    let plan: PlanResult;

    beforeAll(() => {
      // GIVEN the committed environment, synthesized and initialised from the provider mirror
      workdir = TerraformWorkdir.fromStack(stacks[name]).init();
    });
    afterAll(() => workdir?.dispose());

    test('terraform validate passes', () => {
      const result = workdir.validate();
      expect(result.diagnostics).toEqual([]);
      expect(result.valid).toBe(true);
    });

    test('the offline plan creates exactly the article’s seven addresses, and nothing else', () => {
      plan = workdir.plan();
      expect(plan.changes.map((change) => change.address).sort()).toEqual(ARTICLE_ADDRESSES);
      expect(plan.changes.filter((change) => change.action !== 'create')).toEqual([]);
      expect(plan.summary).toMatchObject({ add: 7, change: 0, remove: 0 });
    });

    test('no production-side resource is in the plan', () => {
      expect(plan.changes.filter((change) => PRODUCTION_SIDE.test(change.type))).toEqual([]);
    });
  });
});

describe('the two example stacks', () => {
  test('share nothing but production references: no managed name of one appears in the other', () => {
    const names = (stack: string) => {
      const resource = JSON.parse(fs.readFileSync(path.join(stacks[stack], 'cdk.tf.json'), 'utf8')).resource;
      return [
        resource.aws_lb_target_group.stg_server_target.name,
        resource.aws_ecs_cluster.stg_ecs_cluster.name,
        resource.aws_ecs_task_definition.stg_server.family,
        resource.aws_ecr_lifecycle_policy['stg-server-lifecycle_policy'].repository,
        resource.aws_route53_record.stg_server.name,
      ];
    };
    const stg = names('stg');
    expect(names('preview').filter((name) => stg.includes(name))).toEqual([]);
  });
});
