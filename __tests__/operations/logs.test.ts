import { filterAll, FOLLOW_INTERVAL_MS, FOLLOW_LIMIT_MS, FOLLOW_LOOKBACK_MS, printLogs } from '../../src/operations/logs';
import { formatEvent, parseSince, streamPrefix, taskIdOf } from '../../src/operations/logs-format';
import { exampleTarget, fakeClients } from '../support/operations';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const LOG_GROUP = { 'CloudWatch Logs DescribeLogGroups': { logGroups: [{ logGroupName: 'stg-server' }] } };
const event = (id: string, secondsAgo: number, message: string, task = 'a1b2') => ({ eventId: id, timestamp: NOW - secondsAgo * 1000, logStreamName: `ecs/stg-server/${task}`, message });

describe('--since, --task, --container and an event as a line', () => {
  test.each([
    ['30s', NOW - 30_000], ['10m', NOW - 600_000], ['1h', NOW - 3_600_000], ['2d', NOW - 172_800_000], ['1h30m', NOW - 5_400_000],
    ['2026-12-07T10:00:00Z', Date.parse('2026-12-07T10:00:00Z')],
  ])('--since %s', (value, start) => {
    expect(parseSince(value, NOW)).toBe(start);
  });

  test.each(['', '0m', '10', 'ten minutes', '-5m', '1w', '2027-01-01T00:00:00Z', '2026-13-40T00:00:00Z'])('--since %j is refused in one line', (value) => {
    expect(() => parseSince(value, NOW)).toThrow(/^--since .*: must be a duration like 30s, 10m, 1h, 2d or 1h30m, or a past time like 2026-12-07T10:00:00Z$/);
  });

  test('awslogs streams are <prefix>/<container>/<task ID>: a container’s, or one task’s', () => {
    expect(streamPrefix('ecs', 'stg-server')).toBe('ecs/stg-server/');
    expect(streamPrefix('ecs', 'stg-server', 'a1b2')).toBe('ecs/stg-server/a1b2');
  });

  test('--task takes an ID, its start, or a task ARN; anything else is refused', () => {
    expect(taskIdOf('a1b2c3d4e5f60718293a4b5c6d7e8f90')).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(taskIdOf('arn:aws:ecs:ap-northeast-1:123456789012:task/stg_ecs_cluster/a1b2')).toBe('a1b2');
    expect(() => taskIdOf('../etc')).toThrow('--task ../etc: must be a task ID (from npm run status) or a task ARN');
  });

  test('an event: its time, its task, its message without the trailing newline', () => {
    expect(formatEvent(event('1', 60, 'GET /healthcheck 200\n'))).toBe('2026-12-07T11:59:00.000Z  a1b2  GET /healthcheck 200');
  });
});

describe('filterAll: FilterLogEvents to the end', () => {
  test('an empty page with a nextToken is not the end: only a missing token is', async () => {
    // GIVEN pages: events, empty, empty, events, end
    const pages = [
      { events: [event('1', 50, 'one')], nextToken: 't1' },
      { events: [], nextToken: 't2' },
      { events: [], nextToken: 't3' },
      { events: [event('2', 40, 'two')], nextToken: 't4' },
      { events: [] },
    ];
    const { clients, calls } = fakeClients({ 'CloudWatch Logs FilterLogEvents': (_: unknown, count: number) => pages[count] });
    const seen: string[] = [];
    // WHEN
    const result = await filterAll(clients, { logGroupName: 'stg-server', logStreamNamePrefix: 'ecs/stg-server/', startTime: NOW - 3_600_000 }, (item) => seen.push(item.message!));
    // THEN every page was read, each with the token before it
    expect(seen).toEqual(['one', 'two']);
    expect(result).toEqual({ pages: 5, events: 2 });
    expect(calls.map((call) => call.input.nextToken)).toEqual([undefined, 't1', 't2', 't3', 't4']);
  });

  test('a token answered twice ends the read instead of looping', async () => {
    const { clients } = fakeClients({ 'CloudWatch Logs FilterLogEvents': { events: [], nextToken: 'same' } });
    expect(await filterAll(clients, { logGroupName: 'g', logStreamNamePrefix: 'p', startTime: 0 }, () => undefined)).toEqual({ pages: 2, events: 0 });
  });
});

describe('printLogs', () => {
  test('the container’s streams since the start, from its log group', async () => {
    const { clients, calls } = fakeClients({ ...LOG_GROUP, 'CloudWatch Logs FilterLogEvents': { events: [event('1', 300, 'listening on :1323'), event('2', 10, 'GET /healthcheck 200')] } });
    const lines: string[] = [];
    const result = await printLogs(clients, exampleTarget('stg'), { startTime: NOW - 3_600_000, task: 'a1b2' }, (line) => lines.push(line), { now: () => NOW, sleep: async () => undefined, stopped: () => false });
    expect(lines).toEqual(['2026-12-07T11:55:00.000Z  a1b2  listening on :1323', '2026-12-07T11:59:50.000Z  a1b2  GET /healthcheck 200']);
    expect(result).toEqual({ events: 2 });
    expect(calls.find((call) => call.name === 'CloudWatch Logs FilterLogEvents')?.input).toEqual({ logGroupName: 'stg-server', logStreamNamePrefix: 'ecs/stg-server/a1b2', startTime: NOW - 3_600_000, nextToken: undefined });
  });

  test('events of other streams are not shown, even from an endpoint that ignores the prefix (the emulator does)', async () => {
    const { clients } = fakeClients({ ...LOG_GROUP, 'CloudWatch Logs FilterLogEvents': { events: [event('1', 60, 'mine'), { ...event('2', 50, 'the sidecar’s'), logStreamName: 'ecs/sidecar/a1b2' }] } });
    const lines: string[] = [];
    await printLogs(clients, exampleTarget('stg'), { startTime: 0 }, (line) => lines.push(line), { now: () => NOW, sleep: async () => undefined, stopped: () => false });
    expect(lines).toEqual(['2026-12-07T11:59:00.000Z  a1b2  mine']);
  });

  test('a preview reads its own log group', async () => {
    const { clients, calls } = fakeClients({ 'CloudWatch Logs DescribeLogGroups': { logGroups: [{ logGroupName: 'stg-server/pr-12' }] }, 'CloudWatch Logs FilterLogEvents': { events: [] } });
    await printLogs(clients, exampleTarget('stg-pr-12'), { startTime: 0 }, () => undefined, { now: () => NOW, sleep: async () => undefined, stopped: () => false });
    expect(calls.find((call) => call.name === 'CloudWatch Logs FilterLogEvents')?.input.logGroupName).toBe('stg-server/pr-12');
  });

  test('a log group that is not there is "not deployed", one line', async () => {
    const { clients } = fakeClients({ 'CloudWatch Logs DescribeLogGroups': { logGroups: [{ logGroupName: 'stg-server-old' }] } });
    await expect(printLogs(clients, exampleTarget('stg'), { startTime: 0 }, () => undefined, { now: () => NOW, sleep: async () => undefined, stopped: () => false })).rejects.toThrow(
      'stg is not deployed: no log group stg-server (ap-northeast-1)',
    );
  });

  test('--follow polls every second, from a minute before the newest event, and prints each event once', async () => {
    // GIVEN a clock, polls that answer overlapping windows (an event seen again, one late), then Ctrl-C
    let clock = NOW;
    const polls = [
      { events: [event('1', 5, 'a'), event('2', 2, 'b')] },
      { events: [event('2', 2, 'b'), event('3', 1, 'c')] },
      { events: [event('3', 1, 'c'), event('0', 30, 'late, but new')] },
      { events: [] },
    ];
    const { clients, calls } = fakeClients({ ...LOG_GROUP, 'CloudWatch Logs FilterLogEvents': (_: unknown, count: number) => polls[Math.min(count, polls.length - 1)] });
    const lines: string[] = [];
    const sleeps: number[] = [];
    // WHEN
    await printLogs(clients, exampleTarget('stg'), { startTime: NOW - 600_000, follow: true }, (line) => lines.push(line), {
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock += ms;
      },
      stopped: () => sleeps.length >= 4,
    });
    // THEN
    expect(lines.map((line) => line.split('  ').pop())).toEqual(['a', 'b', 'c', 'late, but new']);
    expect(sleeps.every((ms) => ms === FOLLOW_INTERVAL_MS)).toBe(true);
    const starts = calls.filter((call) => call.name === 'CloudWatch Logs FilterLogEvents').map((call) => call.input.startTime);
    expect(starts).toEqual([NOW - 600_000, NOW - 2000 - FOLLOW_LOOKBACK_MS, NOW - 1000 - FOLLOW_LOOKBACK_MS, NOW - 1000 - FOLLOW_LOOKBACK_MS]);
  });

  test('--follow ends by itself after three hours', async () => {
    let clock = NOW;
    const { clients } = fakeClients({ ...LOG_GROUP, 'CloudWatch Logs FilterLogEvents': { events: [] } });
    const lines: string[] = [];
    await printLogs(clients, exampleTarget('stg'), { startTime: NOW, follow: true }, (line) => lines.push(line), {
      now: () => clock,
      sleep: async (ms) => {
        clock += ms * 600;
      },
      stopped: () => false,
    });
    expect(clock - NOW).toBeGreaterThanOrEqual(FOLLOW_LIMIT_MS);
    expect(lines).toEqual(['(stopped following after 3 hours: run npm run logs again to go on)']);
  });
});
