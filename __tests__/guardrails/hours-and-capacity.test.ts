import { AppautoscalingScheduledAction } from '@cdktf/provider-aws/lib/appautoscaling-scheduled-action';
import { AppautoscalingTarget } from '@cdktf/provider-aws/lib/appautoscaling-target';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { EcsClusterCapacityProviders } from '@cdktf/provider-aws/lib/ecs-cluster-capacity-providers';
import { EcsService } from '@cdktf/provider-aws/lib/ecs-service';
import { TerraformStack } from 'cdktf';
import { runGuardrails } from '../support/guardrails';

/**
 * STG-ScheduledCount and STG-CapacityProviders, finding by finding: the resource, the exact detail
 * and the value each finding carries, and the compliant neighbour of each.
 */
type Build = (stack: TerraformStack) => void;

function findings(ruleId: string, build: Build): { address: string; detail: string; value?: unknown }[] {
  return runGuardrails(build)
    .filter((finding) => finding.ruleId === ruleId)
    .map(({ address, detail, value }) => ({ address, detail, value }));
}

const TARGET = 'aws_appautoscaling_target.target';
const SERVICE = 'aws_ecs_service.service';
const action = (id: string) => `aws_appautoscaling_scheduled_action.${id}`;
const atOnce = (a: string, b: string) => ({ address: TARGET, detail: `${action(a)} and ${action(b)} may be created at once: make one depend on the other`, value: undefined });

describe('STG-ScheduledCount: a schedule owns the task count', () => {
  interface Options {
    targetIgnores?: string[];
    serviceIgnores?: string[];
    /** Each action's dependencies, by id; in creation order. */
    actions?: Record<string, string[]>;
    byId?: boolean;
    dimension?: string;
  }

  function scheduled(stack: TerraformStack, options: Options = {}) {
    const svc = new EcsService(stack, 'service', { name: 's', cluster: 'c', taskDefinition: 'app', lifecycle: { ignoreChanges: options.serviceIgnores ?? ['desired_count'] } });
    const target = new AppautoscalingTarget(stack, 'target', {
      serviceNamespace: 'ecs',
      resourceId: `service/c/${svc.name}`,
      scalableDimension: options.dimension ?? 'ecs:service:DesiredCount',
      minCapacity: 1,
      maxCapacity: 1,
      lifecycle: { ignoreChanges: options.targetIgnores ?? ['min_capacity', 'max_capacity'] },
    });
    const actions = Object.entries(options.actions ?? { wake: [], sleep: ['wake'] }).map(([id, dependsOn]) => ({
      dependsOn,
      resource: new AppautoscalingScheduledAction(stack, id, {
        name: id,
        serviceNamespace: 'ecs',
        resourceId: options.byId ? `service/c/${svc.name}` : target.resourceId,
        scalableDimension: 'ecs:service:DesiredCount',
        schedule: 'cron(0 8 ? * MON-FRI *)',
        scalableTargetAction: { minCapacity: '1', maxCapacity: '1' },
      }),
    }));
    // dependencies set once every action exists, so an action may depend on a later one
    for (const { resource, dependsOn } of actions) {
      if (dependsOn.length > 0) resource.dependsOn = dependsOn.map(action);
    }
  }

  test('a target, its service and chained actions, as the stack makes them: no finding', () => {
    expect(findings('STG-ScheduledCount', (s) => scheduled(s))).toEqual([]);
  });

  test.each<[string, string[], string, string[]]>([
    ['neither capacity ignored', [], 'the target does not ignore changes to min_capacity and max_capacity', []],
    ['only max_capacity ignored', ['max_capacity'], 'the target does not ignore changes to min_capacity', ['max_capacity']],
    ['only min_capacity ignored', ['min_capacity'], 'the target does not ignore changes to max_capacity', ['min_capacity']],
  ])('a target with %s: one finding naming the rest', (_, targetIgnores, detail, value) => {
    // GIVEN / WHEN
    const found = findings('STG-ScheduledCount', (s) => scheduled(s, { targetIgnores }));
    // THEN
    expect(found).toEqual([{ address: TARGET, detail, value }]);
  });

  test('a target of another scalable dimension is not checked', () => {
    expect(findings('STG-ScheduledCount', (s) => scheduled(s, { dimension: 'ecs:service:Other', targetIgnores: [], actions: { wake: [], sleep: [] } }))).toEqual([]);
  });

  test.each<[string, string[]]>([
    ['ignoring the task definition only', ['task_definition']],
    ['ignoring nothing', []],
  ])('a managed service %s: its desired_count is Terraform’s', (_, serviceIgnores) => {
    expect(findings('STG-ScheduledCount', (s) => scheduled(s, { serviceIgnores }))).toEqual([{ address: TARGET, detail: `${SERVICE} does not ignore changes to desired_count`, value: serviceIgnores }]);
  });

  test('a service not managed here (the resource ID written out) is not checked', () => {
    // GIVEN a target naming service/c/s by text, and a service of that name that ignores nothing
    const build: Build = (s) => {
      new EcsService(s, 'service', { name: 's', cluster: 'c', taskDefinition: 'app' });
      new AppautoscalingTarget(s, 'target', { serviceNamespace: 'ecs', resourceId: 'service/c/s', scalableDimension: 'ecs:service:DesiredCount', minCapacity: 1, maxCapacity: 1, lifecycle: { ignoreChanges: ['min_capacity', 'max_capacity'] } });
    };
    // WHEN / THEN
    expect(findings('STG-ScheduledCount', build)).toEqual([]);
  });

  test.each<[string, Record<string, string[]>, boolean | undefined, ReturnType<typeof atOnce>[]]>([
    ['two unchained actions', { wake: [], sleep: [] }, false, [atOnce('wake', 'sleep')]],
    ['two unchained actions naming the target by its ID', { wake: [], sleep: [] }, true, [atOnce('wake', 'sleep')]],
    ['the first depending on the second', { wake: ['sleep'], sleep: [] }, false, []],
    ['the second depending on the first, by ID', { wake: [], sleep: ['wake'] }, true, []],
    ['three in a chain (the third reaches the first through the second)', { a: [], b: ['a'], c: ['b'] }, false, []],
    ['three unchained: every pair, in order', { a: [], b: [], c: [] }, false, [atOnce('a', 'b'), atOnce('a', 'c'), atOnce('b', 'c')]],
    ['three, the last one unchained', { a: [], b: ['a'], c: [] }, false, [atOnce('a', 'c'), atOnce('b', 'c')]],
    ['one action alone', { wake: [] }, false, []],
  ])('%s', (_, actions, byId, expected) => {
    expect(findings('STG-ScheduledCount', (s) => scheduled(s, { actions, byId }))).toEqual(expected);
  });

  test('actions chained through another resource count as chained', () => {
    const build: Build = (s) => {
      scheduled(s, { actions: { wake: [] } });
      const between = new CloudwatchLogGroup(s, 'between', { name: 'g', retentionInDays: 30, dependsOn: [s.node.findChild('wake') as never] });
      new AppautoscalingScheduledAction(s, 'sleep', { name: 'sleep', serviceNamespace: 'ecs', resourceId: 'service/c/${aws_ecs_service.service.name}', scalableDimension: 'ecs:service:DesiredCount', schedule: 'cron(0 21 ? * MON-FRI *)', scalableTargetAction: { minCapacity: '0' }, dependsOn: [between] });
    };
    expect(findings('STG-ScheduledCount', build)).toEqual([]);
  });

  test('a dependency cycle elsewhere is not a chain, and does not loop', () => {
    // GIVEN wake depends on x, x and y on each other; sleep depends on nothing
    const build: Build = (s) => {
      scheduled(s, { actions: { wake: [], sleep: [] } });
      const x = new CloudwatchLogGroup(s, 'x', { name: 'x', retentionInDays: 30 });
      new CloudwatchLogGroup(s, 'y', { name: 'y', retentionInDays: 30, dependsOn: [x] });
      x.dependsOn = ['aws_cloudwatch_log_group.y'];
      (s.node.findChild('wake') as AppautoscalingScheduledAction).dependsOn = ['aws_cloudwatch_log_group.x'];
    };
    // WHEN / THEN
    expect(findings('STG-ScheduledCount', build)).toEqual([atOnce('wake', 'sleep')]);
  });

  test('actions on another target are not this target’s', () => {
    // GIVEN a second target with its own, unchained, action
    const build: Build = (s) => {
      scheduled(s, { actions: { wake: [] } });
      const other = new AppautoscalingTarget(s, 'other', { serviceNamespace: 'ecs', resourceId: 'service/c/other', scalableDimension: 'ecs:service:DesiredCount', minCapacity: 1, maxCapacity: 1, lifecycle: { ignoreChanges: ['min_capacity', 'max_capacity'] } });
      new AppautoscalingScheduledAction(s, 'elsewhere', { name: 'elsewhere', serviceNamespace: 'ecs', resourceId: other.resourceId, scalableDimension: 'ecs:service:DesiredCount', schedule: 'cron(0 8 ? * MON-FRI *)', scalableTargetAction: { minCapacity: '1' } });
    };
    // WHEN / THEN neither target has two actions
    expect(findings('STG-ScheduledCount', build)).toEqual([]);
  });
});

describe('STG-CapacityProviders: the cluster offers the strategy’s providers, before the service', () => {
  const PROVIDERS = 'aws_ecs_cluster_capacity_providers.providers';
  const NOT_BEFORE = `the service does not depend on ${PROVIDERS}, so it may be created before the providers are associated`;

  interface Options {
    providers?: string[];
    /** Whether the association is for the service's cluster (or another one). */
    sameCluster?: boolean;
    dependsOn?: 'association' | 'other' | 'none';
    strategy?: string[];
  }

  function spotService(stack: TerraformStack, options: Options = {}) {
    const cluster = new EcsCluster(stack, 'cluster', { name: 'c' });
    const otherCluster = options.sameCluster === false ? new EcsCluster(stack, 'other', { name: 'o' }) : undefined;
    const association = options.providers
      ? new EcsClusterCapacityProviders(stack, 'providers', { clusterName: (otherCluster ?? cluster).name, capacityProviders: options.providers })
      : undefined;
    const logs = new CloudwatchLogGroup(stack, 'logs', { name: 'g', retentionInDays: 30 });
    const dependsOn = options.dependsOn ?? 'association';
    return new EcsService(stack, 'service', {
      name: 's',
      cluster: cluster.arn,
      taskDefinition: 'app',
      capacityProviderStrategy: (options.strategy ?? ['FARGATE_SPOT']).map((capacityProvider) => ({ capacityProvider, weight: 1 })),
      dependsOn: dependsOn === 'association' && association ? [association] : dependsOn === 'other' ? [logs] : undefined,
    });
  }

  test.each<[string, Options]>([
    ['a Spot service after its cluster offers both providers', { providers: ['FARGATE', 'FARGATE_SPOT'] }],
    ['a Spot service after its cluster offers Spot only', { providers: ['FARGATE_SPOT'] }],
    ['a strategy of both, both offered', { providers: ['FARGATE', 'FARGATE_SPOT'], strategy: ['FARGATE', 'FARGATE_SPOT'] }],
  ])('passes %s', (_, options) => {
    expect(findings('STG-CapacityProviders', (s) => spotService(s, options))).toEqual([]);
  });

  test('a service on the FARGATE launch type (no strategy), in a cluster with no providers: no finding', () => {
    expect(findings('STG-CapacityProviders', (s) => new EcsService(s, 'service', { name: 's', cluster: new EcsCluster(s, 'cluster', { name: 'c' }).arn, taskDefinition: 'app', launchType: 'FARGATE' }))).toEqual([]);
  });

  test("a service in a cluster managed elsewhere (a preview's, in staging's): no finding", () => {
    expect(findings('STG-CapacityProviders', (s) => new EcsService(s, 'service', { name: 's', cluster: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg', taskDefinition: 'app', capacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 1 }] }))).toEqual([]);
  });

  test.each<[string, Options]>([
    ['no association at all', {}],
    ['an association for another cluster only', { providers: ['FARGATE', 'FARGATE_SPOT'], sameCluster: false, dependsOn: 'none' }],
  ])('a managed cluster with %s: one finding, the strategy as its value', (_, options) => {
    expect(findings('STG-CapacityProviders', (s) => spotService(s, options))).toEqual([
      { address: SERVICE, detail: 'aws_ecs_cluster.cluster has no aws_ecs_cluster_capacity_providers', value: ['FARGATE_SPOT'] },
    ]);
  });

  test.each<[string, Options, string, string[]]>([
    ['Spot missing', { providers: ['FARGATE'] }, 'FARGATE_SPOT', ['FARGATE']],
    ['FARGATE missing from a strategy of both', { providers: ['FARGATE_SPOT'], strategy: ['FARGATE', 'FARGATE_SPOT'] }, 'FARGATE', ['FARGATE_SPOT']],
    ['both missing', { providers: [], strategy: ['FARGATE', 'FARGATE_SPOT'] }, 'FARGATE, FARGATE_SPOT', []],
  ])('an association with %s: one finding, what is offered as its value', (_, options, missing, offered) => {
    expect(findings('STG-CapacityProviders', (s) => spotService(s, options))).toEqual([{ address: SERVICE, detail: `${PROVIDERS} does not offer ${missing}`, value: offered }]);
  });

  test.each<[string, Options['dependsOn'], string[]]>([
    ['no dependency', 'none', []],
    ['a dependency on something else', 'other', ['aws_cloudwatch_log_group.logs']],
  ])('a service with %s: it may be created before the association', (_, dependsOn, value) => {
    expect(findings('STG-CapacityProviders', (s) => spotService(s, { providers: ['FARGATE', 'FARGATE_SPOT'], dependsOn }))).toEqual([{ address: SERVICE, detail: NOT_BEFORE, value }]);
  });

  test('a missing provider and no dependency: both findings, the provider first', () => {
    expect(findings('STG-CapacityProviders', (s) => spotService(s, { providers: ['FARGATE'], dependsOn: 'none' }))).toEqual([
      { address: SERVICE, detail: `${PROVIDERS} does not offer FARGATE_SPOT`, value: ['FARGATE'] },
      { address: SERVICE, detail: NOT_BEFORE, value: [] },
    ]);
  });
});
