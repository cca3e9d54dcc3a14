import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { Cluster } from '../../src/constructs/cluster';
import { synthScope } from '../support/synth';
import '../support/cdktf-matchers';

describe('Cluster', () => {
  test('defaults reproduce the article, section 3', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new Cluster(scope, 'Cluster');
    });
    // THEN
    expect(synth.addresses()).toEqual(['aws_ecs_cluster.stg_ecs_cluster']);
    expect(synth.json).toHaveResourceWithProperties(EcsCluster, { name: 'stg_ecs_cluster' });
  });

  test('a given name replaces the default', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new Cluster(scope, 'Cluster', { name: 'preview_ecs_cluster' });
    });
    // THEN
    expect(synth.resource('aws_ecs_cluster', 'stg_ecs_cluster').name).toBe('preview_ecs_cluster');
  });

  test('without an exec log group there is no configuration block and no setting, as in the article', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new Cluster(scope, 'Cluster');
    });
    // THEN
    expect(synth.resource('aws_ecs_cluster', 'stg_ecs_cluster')).toEqual({ name: 'stg_ecs_cluster' });
  });

  test.each([
    ['unencrypted', undefined, false],
    ['KMS-encrypted', true, true],
  ])('an %s exec log group records ECS Exec sessions there', (_kind, execLogEncrypted, encrypted) => {
    // WHEN
    const synth = synthScope((scope) => {
      new Cluster(scope, 'Cluster', { execLogGroupName: 'stg-server', execLogEncrypted });
    });
    // THEN
    expect(synth.resource('aws_ecs_cluster', 'stg_ecs_cluster').configuration).toEqual({
      execute_command_configuration: {
        logging: 'OVERRIDE',
        log_configuration: { cloud_watch_log_group_name: 'stg-server', cloud_watch_encryption_enabled: encrypted },
      },
    });
  });

  test('containerInsights becomes the cluster setting', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new Cluster(scope, 'Cluster', { containerInsights: 'enhanced' });
    });
    // THEN
    const cluster = synth.resource('aws_ecs_cluster', 'stg_ecs_cluster');
    expect(cluster.setting).toEqual([{ name: 'containerInsights', value: 'enhanced' }]);
    expect(cluster.configuration).toBeUndefined();
  });
});

describe('Cluster capacity providers', () => {
  test('given providers, the cluster offers them through aws_ecs_cluster_capacity_providers, by reference', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new Cluster(scope, 'Cluster', { capacityProviders: ['FARGATE', 'FARGATE_SPOT'] });
    });
    // THEN
    expect(synth.resource('aws_ecs_cluster_capacity_providers', 'stg_ecs_cluster')).toMatchObject({
      cluster_name: '${aws_ecs_cluster.stg_ecs_cluster.name}',
      capacity_providers: ['FARGATE', 'FARGATE_SPOT'],
    });
    expect(synth.resource('aws_ecs_cluster_capacity_providers', 'stg_ecs_cluster')).not.toHaveProperty('default_capacity_provider_strategy');
  });

  test('without providers there is no association (the article), so adopting stays zero-change', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new Cluster(scope, 'Cluster');
    });
    // THEN
    expect(synth.addresses()).toEqual(['aws_ecs_cluster.stg_ecs_cluster']);
  });
});
