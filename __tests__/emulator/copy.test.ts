import * as fs from 'node:fs';
import * as path from 'node:path';
import { SECOND_PLAN_DIFFS, UNSUPPORTED_RESOURCES } from '../support/emulator/gaps';
import { forEmulator } from '../support/emulator/stack';
import { synthesizeFixtures } from '../support/stacks';

/** The applied copy differs from the synthesized stack only where gaps.ts says (no emulator needed). */
describe('the copy of a stack the emulator applies', () => {
  const synthesized = JSON.parse(fs.readFileSync(path.join(synthesizeFixtures().stg, 'cdk.tf.json'), 'utf8'));
  const copy = forEmulator(JSON.parse(JSON.stringify(synthesized)));

  test('drops only the resource types the emulator cannot create', () => {
    // GIVEN the stg fixture, which has a webhook (WHEN copied) THEN
    expect(Object.keys(synthesized.resource)).toEqual(expect.arrayContaining(Object.keys(UNSUPPORTED_RESOURCES)));
    expect(Object.keys(copy.resource!).sort()).toEqual(Object.keys(synthesized.resource).filter((type) => !(type in UNSUPPORTED_RESOURCES)).sort());
  });

  test('ignores exactly the listed attributes, and keeps what the stack itself ignores', () => {
    const service = Object.values<any>(copy.resource!.aws_ecs_service)[0];
    const own = Object.values<any>(synthesized.resource.aws_ecs_service)[0].lifecycle.ignore_changes;
    expect(own).toContain('task_definition');
    expect(service.lifecycle.ignore_changes).toEqual([...own, ...Object.keys(SECOND_PLAN_DIFFS.aws_ecs_service)]);
    for (const rule of Object.values<any>(copy.resource!.aws_vpc_security_group_ingress_rule)) {
      expect(rule.lifecycle.ignore_changes).toEqual(Object.keys(SECOND_PLAN_DIFFS.aws_vpc_security_group_ingress_rule));
    }
  });

  test('changes nothing else', () => {
    const strip = (stack: any) => {
      const resource = Object.fromEntries(
        Object.entries<any>(stack.resource)
          .filter(([type]) => !(type in UNSUPPORTED_RESOURCES))
          .map(([type, byName]) => [type, Object.fromEntries(Object.entries<any>(byName).map(([name, { lifecycle: _lifecycle, ...rest }]) => [name, rest]))]),
      );
      return { ...stack, resource };
    };
    expect(strip(copy)).toEqual(strip(synthesized));
  });
});
