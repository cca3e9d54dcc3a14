import { previewTimeLeft, workingHoursAt } from '../../src/operations/schedule';

const WEEKDAYS = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' };

describe('workingHoursAt: the state working hours leave at a moment, and the next action', () => {
  test.each([
    // 2026-12-07 is a Monday; Tokyo is UTC+9
    ['Monday 12:00 Tokyo: awake since 08:00, sleeps at 21:00', '2026-12-07T03:00:00Z', 'awake', '2026-12-06T23:00:00.000Z', 'sleep', '2026-12-07T12:00:00.000Z'],
    ['Monday 07:59 Tokyo: asleep since Friday 21:00, wakes at 08:00', '2026-12-06T22:59:00Z', 'asleep', '2026-12-04T12:00:00.000Z', 'wake', '2026-12-06T23:00:00.000Z'],
    ['Saturday noon: asleep since Friday 21:00, wakes on Monday 08:00', '2026-12-12T03:00:00Z', 'asleep', '2026-12-11T12:00:00.000Z', 'wake', '2026-12-13T23:00:00.000Z'],
    ['Monday 21:00 exactly: asleep (the sleep action has just run)', '2026-12-07T12:00:00Z', 'asleep', '2026-12-07T12:00:00.000Z', 'wake', '2026-12-07T23:00:00.000Z'],
  ])('%s', (_, now, state, since, action, at) => {
    // GIVEN weekday working hours WHEN asked at that moment
    const result = workingHoursAt(WEEKDAYS, new Date(now));
    // THEN
    expect(result.state).toBe(state);
    expect(result.since?.toISOString()).toBe(since);
    expect(result.next).toEqual({ action, at: new Date(at) });
  });

  test('daylight saving time is followed: 08:00 New York is 13:00 UTC in winter, 12:00 UTC in summer', () => {
    const hours = { timezone: 'America/New_York', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 18 ? * MON-FRI *)' };
    expect(workingHoursAt(hours, new Date('2026-12-07T10:00:00Z')).next?.at.toISOString()).toBe('2026-12-07T13:00:00.000Z');
    expect(workingHoursAt(hours, new Date('2026-07-06T10:00:00Z')).next?.at.toISOString()).toBe('2026-07-06T12:00:00.000Z');
  });
});

describe('previewTimeLeft: ttlDays after the state was last written', () => {
  test('time left, and negative once expired', () => {
    const lastDeploy = new Date('2026-12-05T09:00:00Z');
    expect(previewTimeLeft(lastDeploy, 3, new Date('2026-12-07T09:00:00Z'))).toEqual({ expiresAt: new Date('2026-12-08T09:00:00Z'), leftSeconds: 86400 });
    expect(previewTimeLeft(lastDeploy, 1, new Date('2026-12-07T09:00:00Z')).leftSeconds).toBe(-86400);
  });
});
