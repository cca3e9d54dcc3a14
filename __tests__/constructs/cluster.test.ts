import { EcsCluster } from '@cdktf/provider-aws/lib/ecs-cluster';
import { Cluster } from '../../src/constructs/cluster';
import { synthScope } from '../support/synth';

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
});
