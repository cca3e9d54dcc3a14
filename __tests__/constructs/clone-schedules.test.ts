import { boundedName } from '../../src/aws/scheduler';
import { CloneSchedulerRole, CloneSleep, CloneSleepProps } from '../../src/constructs/clone-sleep';
import { parseJson } from '../../src/guardrails/guardrail';
import { synthScope } from '../support/synth';

/** The clone's working hours (EventBridge Scheduler stop at sleep, start at wake) (issue 27). */

const CLONE_ARN = 'arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-clone';
const HOURS: CloneSleepProps = {
  clusterIdentifier: 'prod-db-stg-clone',
  clusterArn: CLONE_ARN,
  name: 'prod-db-stg-clone',
  timezone: 'Asia/Tokyo',
  wake: 'cron(0 8 ? * MON-FRI *)',
  sleep: 'cron(0 21 ? * MON-FRI *)',
};
const statements = (policy: string) => JSON.parse(policy).Statement;

describe('CloneSleep', () => {
  test('GIVEN working hours WHEN synthesized THEN a stop at sleep and a start at wake, through the rds universal targets, in the time zone', () => {
    // WHEN
    const synth = synthScope((scope) => new CloneSleep(scope, 'Sleep', HOURS));
    // THEN
    const stop = synth.resource('aws_scheduler_schedule', 'database_clone_stop');
    const start = synth.resource('aws_scheduler_schedule', 'database_clone_start');
    expect(stop).toMatchObject({ name: 'prod-db-stg-clone-stop', schedule_expression: HOURS.sleep, schedule_expression_timezone: 'Asia/Tokyo', flexible_time_window: { mode: 'OFF' } });
    expect(start).toMatchObject({ name: 'prod-db-stg-clone-start', schedule_expression: HOURS.wake, schedule_expression_timezone: 'Asia/Tokyo' });
    expect(stop.target).toMatchObject({ arn: 'arn:aws:scheduler:::aws-sdk:rds:stopDBCluster', role_arn: '${aws_iam_role.database_clone_stop.arn}' });
    expect(start.target).toMatchObject({ arn: 'arn:aws:scheduler:::aws-sdk:rds:startDBCluster', role_arn: '${aws_iam_role.database_clone_stop.arn}' });
    expect(stop.target.input).toBe('${jsonencode({"DbClusterIdentifier" = "prod-db-stg-clone"})}');
  });

  test('GIVEN working hours WHEN synthesized THEN the scheduler\'s role may stop and start exactly the clone, and nothing else', () => {
    // WHEN
    const synth = synthScope((scope) => new CloneSleep(scope, 'Sleep', HOURS));
    // THEN
    expect(statements(synth.resource('aws_iam_role_policy', 'database_clone_stop').policy)).toEqual([
      { Sid: 'StopAndStartTheClone', Effect: 'Allow', Action: ['rds:StopDBCluster', 'rds:StartDBCluster'], Resource: [CLONE_ARN] },
    ]);
    // a template: the account is the clone ARN's fifth field, read at plan
    const trust = parseJson(synth.resource('aws_iam_role', 'database_clone_stop').assume_role_policy).Statement[0];
    expect(trust).toMatchObject({ Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '${element(split(":", "arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-clone"), 4)}' } } });
  });

  test('GIVEN a role made elsewhere (a preview\'s) WHEN synthesized THEN the schedules use it and no role is made', () => {
    // WHEN
    const synth = synthScope((scope) => new CloneSleep(scope, 'Sleep', { ...HOURS, roleArn: 'arn:aws:iam::123456789012:role/prod-db-stg-previews-scheduler' }));
    // THEN
    expect(synth.addresses().sort()).toEqual(['aws_scheduler_schedule.database_clone_start', 'aws_scheduler_schedule.database_clone_stop']);
    expect(synth.resource('aws_scheduler_schedule', 'database_clone_stop').target.role_arn).toBe('arn:aws:iam::123456789012:role/prod-db-stg-previews-scheduler');
  });

  test('GIVEN a sleep that is no AWS cron expression WHEN built THEN one line naming the prop', () => {
    expect(() => synthScope((scope) => new CloneSleep(scope, 'Sleep', { ...HOURS, sleep: '0 21 * * 1-5' }))).toThrow(/^[^\n]*sleep: must be an AWS cron expression[^\n]*$/);
  });

  test('GIVEN the previews\' pattern WHEN the role is made THEN it may stop and start exactly the clusters of that pattern', () => {
    // WHEN
    const synth = synthScope((scope) => new CloneSchedulerRole(scope, 'Role', { name: 'prod-db-stg-previews', clusterArns: ['arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-pr-*'], account: '123456789012', address: 'previews_clone_scheduler' }));
    // THEN
    expect(synth.resource('aws_iam_role', 'previews_clone_scheduler').name).toBe('prod-db-stg-previews-scheduler');
    expect(statements(synth.resource('aws_iam_role_policy', 'previews_clone_scheduler').policy)[0].Resource).toEqual(['arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-pr-*']);
  });
});

describe('boundedName: schedule and role names within 64 characters', () => {
  test('GIVEN a short base WHEN named THEN <base>-<suffix>', () => {
    expect(boundedName('prod-db-stg-pr-7', 'stop')).toBe('prod-db-stg-pr-7-stop');
  });

  test('GIVEN two long bases alike but for their end WHEN named THEN two names of at most 64 characters, each keeping the start', () => {
    // GIVEN two previews' clones of a long source
    const a = `${'x'.repeat(45)}-stg-pr-123456`;
    const b = `${'x'.repeat(45)}-stg-pr-123457`;
    // WHEN
    const names = [boundedName(a, 'scheduler'), boundedName(b, 'scheduler')];
    // THEN
    for (const name of names) {
      expect(name.length).toBeLessThanOrEqual(64);
      expect(name.startsWith('x'.repeat(40))).toBe(true);
      expect(name.endsWith('-scheduler')).toBe(true);
    }
    expect(names[0]).not.toBe(names[1]);
  });
});
