import { WorkingHours, WorkingHoursProps } from '../../src/constructs/working-hours';
import { synthScope } from '../support/synth';

const TOKYO_WEEKDAYS: WorkingHoursProps = {
  clusterName: 'stg_ecs_cluster',
  serviceName: 'stg-server',
  desiredCount: 2,
  wake: 'cron(0 8 ? * MON-FRI *)',
  sleep: 'cron(0 21 ? * MON-FRI *)',
  timezone: 'Asia/Tokyo',
};

describe('WorkingHours', () => {
  test('one scalable target on the service\'s task count, and a wake and a sleep action in the time zone', () => {
    // GIVEN / WHEN
    const synth = synthScope((scope) => {
      new WorkingHours(scope, 'Hours', TOKYO_WEEKDAYS);
    });
    // THEN
    expect(synth.addresses()).toEqual([
      'aws_appautoscaling_scheduled_action.stg_server_sleep',
      'aws_appautoscaling_scheduled_action.stg_server_wake',
      'aws_appautoscaling_target.stg_server',
    ]);
    expect(synth.resource('aws_appautoscaling_target', 'stg_server')).toMatchObject({
      service_namespace: 'ecs',
      resource_id: 'service/stg_ecs_cluster/stg-server',
      scalable_dimension: 'ecs:service:DesiredCount',
      min_capacity: 2,
      max_capacity: 2,
    });
    expect(synth.resource('aws_appautoscaling_scheduled_action', 'stg_server_wake')).toMatchObject({
      name: 'stg-server-wake',
      schedule: 'cron(0 8 ? * MON-FRI *)',
      timezone: 'Asia/Tokyo',
      scalable_target_action: { min_capacity: '2', max_capacity: '2' },
      resource_id: '${aws_appautoscaling_target.stg_server.resource_id}',
    });
    expect(synth.resource('aws_appautoscaling_scheduled_action', 'stg_server_sleep')).toMatchObject({
      name: 'stg-server-sleep',
      schedule: 'cron(0 21 ? * MON-FRI *)',
      scalable_target_action: { min_capacity: '0', max_capacity: '0' },
    });
  });

  test('the second action waits for the first: Application Auto Scaling refuses concurrent changes to one target', () => {
    // GIVEN / WHEN
    const synth = synthScope((scope) => {
      new WorkingHours(scope, 'Hours', TOKYO_WEEKDAYS);
    });
    // THEN
    expect(synth.resource('aws_appautoscaling_scheduled_action', 'stg_server_sleep').depends_on).toEqual(['aws_appautoscaling_scheduled_action.stg_server_wake']);
    expect(synth.resource('aws_appautoscaling_scheduled_action', 'stg_server_wake')).not.toHaveProperty('depends_on');
  });

  test('Terraform leaves the capacities to the actions once the target exists', () => {
    // GIVEN / WHEN
    const synth = synthScope((scope) => {
      new WorkingHours(scope, 'Hours', TOKYO_WEEKDAYS);
    });
    // THEN
    expect(synth.resource('aws_appautoscaling_target', 'stg_server').lifecycle).toEqual({ ignore_changes: ['min_capacity', 'max_capacity'] });
  });

  test('GIVEN no job to wait for WHEN synthesized THEN the target is not suspended: the schedule runs from the start', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new WorkingHours(scope, 'Hours', TOKYO_WEEKDAYS);
    });
    // THEN
    expect(synth.resource('aws_appautoscaling_target', 'stg_server')).not.toHaveProperty('suspended_state');
  });

  test('GIVEN a masked clone\'s service (startsSuspended, at 0) WHEN synthesized THEN the target is registered at 0 with scheduled and dynamic scaling suspended, and Terraform leaves the suspension to the job after create', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new WorkingHours(scope, 'Hours', { ...TOKYO_WEEKDAYS, initialCapacity: 0, startsSuspended: true });
    });
    // THEN a wake before the mask scales nothing
    const target = synth.resource('aws_appautoscaling_target', 'stg_server');
    expect(target).toMatchObject({ min_capacity: 0, max_capacity: 0 });
    expect(target.suspended_state).toEqual({ dynamic_scaling_in_suspended: true, dynamic_scaling_out_suspended: true, scheduled_scaling_suspended: true });
    expect(target.lifecycle).toEqual({ ignore_changes: ['min_capacity', 'max_capacity', 'suspended_state'] });
    // the actions are still the schedule's
    expect(synth.resource('aws_appautoscaling_scheduled_action', 'stg_server_wake').scalable_target_action).toEqual({ min_capacity: '2', max_capacity: '2' });
  });
});
