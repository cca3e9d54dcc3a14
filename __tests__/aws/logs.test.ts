import { LOG_GROUP_NAME, RETENTION_DAYS } from '../../src/aws/logs';

describe('CloudWatch Logs CreateLogGroup: a log group name is 1–512 of [.-_/#A-Za-z0-9]', () => {
  test.each<[string, string, boolean]>([
    ['an ECS-style path', '/ecs/stg-server', true],
    ['every allowed punctuation', 'a.b-c_d/e#f', true],
    ['512 characters, the limit', 'a'.repeat(512), true],
    ['513 characters, one past it', 'a'.repeat(513), false],
    ['empty', '', false],
    ['a space', 'stg server', false],
    ['a colon', 'stg:server', false],
    ['an asterisk', 'stg-*', false],
    ['a newline after a valid name', 'stg-server\n', false],
  ])('%s → %s', (_, name, valid) => {
    // WHEN / THEN
    expect(LOG_GROUP_NAME.test(name)).toBe(valid);
  });

  test('retention periods are the ones PutRetentionPolicy accepts, without 0 ("never expire")', () => {
    expect(RETENTION_DAYS).toContain(14);
    expect(RETENTION_DAYS).not.toContain(0);
    expect([...RETENTION_DAYS].sort((a, b) => a - b)).toEqual([...RETENTION_DAYS]);
  });
});
