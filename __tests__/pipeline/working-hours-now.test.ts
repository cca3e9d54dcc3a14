import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { workingHoursAt } from '../../src/operations/schedule';
import { WORKING_HOURS_FUNCTION, WORKING_HOURS_VARIABLES, workingHoursNow, workingHoursNowProblem, workingHoursScript } from '../../src/pipeline/working-hours-now';

/**
 * Working hours at the moment the masking job runs (issue 27, fail closed): the plain JavaScript the
 * build runs with `node`, held against the kit's own reading of the same schedule (croner, as
 * `npm run status` says it), so that the job resumes the service at the count the schedule would have
 * left it at.
 */

const WEEKDAYS = { wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)', timezone: 'Asia/Tokyo' };
const at = (iso: string) => new Date(iso);

describe('workingHoursNow', () => {
  test.each([
    ['a Tuesday at 10:00 in Tokyo', '2026-03-03T01:00:00Z', 'awake'],
    ['a Tuesday at 07:59 in Tokyo', '2026-03-02T22:59:00Z', 'asleep'],
    ['a Tuesday at 08:00 in Tokyo (the wake itself has run)', '2026-03-02T23:00:00Z', 'awake'],
    ['a Tuesday at 21:00 in Tokyo (the sleep itself has run)', '2026-03-03T12:00:00Z', 'asleep'],
    ['a Saturday at noon in Tokyo (Friday\'s sleep was the last action)', '2026-03-07T03:00:00Z', 'asleep'],
  ])('GIVEN weekday working hours WHEN it is %s THEN the service is %s', (_name, now, state) => {
    // WHEN
    const found = workingHoursNow(WEEKDAYS.wake, WEEKDAYS.sleep, WEEKDAYS.timezone, at(now));
    // THEN
    expect(found).toBe(state);
    expect(workingHoursAt(WEEKDAYS, at(now)).state).toBe(state);
  });

  test('GIVEN a wake and a sleep in the same minute WHEN that minute has passed THEN asleep, as the kit reads it', () => {
    const now = at('2026-03-03T05:00:00Z');
    expect(workingHoursNow('cron(0 14 ? * TUE *)', 'cron(0 14 ? * TUE *)', 'Asia/Tokyo', now)).toBe('asleep');
    expect(workingHoursAt({ wake: 'cron(0 14 ? * TUE *)', sleep: 'cron(0 14 ? * TUE *)', timezone: 'Asia/Tokyo' }, now).state).toBe('asleep');
  });

  test('GIVEN New York\'s spring forward WHEN a 02:30 wake falls in the skipped hour THEN it wakes at 03:00, as croner does, and not before', () => {
    // GIVEN 2026-03-08: 02:00 EST is 03:00 EDT (07:00Z)
    const hours = { wake: 'cron(30 2 ? * SUN *)', sleep: 'cron(0 1 ? * SUN *)', timezone: 'America/New_York' };
    for (const [now, state] of [['2026-03-08T06:59:00Z', 'asleep'], ['2026-03-08T07:00:00Z', 'awake'], ['2026-03-08T09:00:00Z', 'awake']] as const) {
      // WHEN / THEN
      expect(workingHoursNow(hours.wake, hours.sleep, hours.timezone, at(now))).toBe(state);
      expect(workingHoursAt(hours, at(now)).state).toBe(state);
    }
  });

  test('GIVEN New York\'s fall back WHEN a 01:30 sleep comes twice THEN it sleeps at the first 01:30 only: a wake at 01:45 EST stays awake', () => {
    // GIVEN 2026-11-01: 01:30 EDT is 05:30Z, 01:30 EST is 06:30Z; the wake at 01:45 runs after the first 01:30 (05:45Z)
    const hours = { wake: 'cron(45 1 ? * SUN *)', sleep: 'cron(30 1 ? * SUN *)', timezone: 'America/New_York' };
    const now = at('2026-11-01T06:40:00Z');
    // WHEN / THEN the second 01:30 (06:30Z) is not a sleep
    expect(workingHoursAt(hours, now).state).toBe('awake');
    expect(workingHoursNow(hours.wake, hours.sleep, hours.timezone, now)).toBe('awake');
  });

  test('GIVEN the day-of-month and day-of-week forms the rules admit WHEN read at many moments THEN each agrees with croner', () => {
    const forms = ['cron(0 9 L * ? *)', 'cron(0 9 LW * ? *)', 'cron(0 9 15W * ? *)', 'cron(0 9 1W * ? *)', 'cron(0 9 ? * FRI#L *)', 'cron(0 9 ? * MON#2 *)', 'cron(0 9 1,15 * ? *)', 'cron(0 9 ? JAN-MAR,OCT MON *)', 'cron(*/20 9-17/2 ? * TUE,THU *)'];
    for (const wake of forms) {
      for (let day = 0; day < 120; day += 3) {
        const now = new Date(Date.UTC(2026, 0, 1, 3) + day * 86_400_000);
        const hours = { wake, sleep: 'cron(0 20 ? * * *)', timezone: 'UTC' };
        expect([wake, now.toISOString(), workingHoursNow(hours.wake, hours.sleep, hours.timezone, now)]).toEqual([wake, now.toISOString(), workingHoursAt(hours, now).state]);
      }
    }
  });

  test('GIVEN random working hours of the shapes a file writes WHEN read at random moments THEN it agrees with the kit\'s reading (croner) every time', () => {
    const minute = fc.integer({ min: 0, max: 59 });
    const hour = fc.integer({ min: 0, max: 23 });
    const days = fc.constantFrom('MON-FRI', 'SUN-SAT', 'MON,WED,FRI', 'SAT', 'TUE-THU', 'MON#1', 'FRI#L');
    const expression = fc.tuple(minute, hour, days).map(([m, h, d]) => `cron(${m} ${h} ? * ${d} *)`);
    fc.assert(
      fc.property(expression, expression, fc.constantFrom('UTC', 'Asia/Tokyo', 'Asia/Kolkata', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney'), fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2028-12-31T00:00:00Z'), noInvalidDate: true }), (wake, sleep, timezone, now) => {
        expect(workingHoursNow(wake, sleep, timezone, now)).toBe(workingHoursAt({ wake, sleep, timezone }, now).state);
      }),
      { numRuns: 300, seed: 27 },
    );
  });

  test('GIVEN actions that never ran in the past year WHEN read THEN the next one decides: a sleep next is awake, a wake next asleep', () => {
    // GIVEN the year before 1 June 2027 holds no 29 February, the year after holds 2028's
    const now = at('2027-06-01T00:00:00Z');
    expect(workingHoursNow('cron(0 8 29 FEB ? *)', 'cron(0 9 29 FEB ? *)', 'UTC', now)).toBe('asleep');
    expect(workingHoursNow('cron(0 9 29 FEB ? *)', 'cron(0 8 29 FEB ? *)', 'UTC', now)).toBe('awake');
    expect(workingHoursAt({ wake: 'cron(0 9 29 FEB ? *)', sleep: 'cron(0 8 29 FEB ? *)', timezone: 'UTC' }, now).state).toBe('awake');
  });
});

describe('workingHoursNowProblem', () => {
  test.each(['cron(0 8 ? * MON-FRI *)', 'cron(0 8 L * ? *)', 'cron(0 8 ? * FRI#L *)', 'cron(15 8 10W * ? *)'])('GIVEN %s WHEN checked THEN no problem', (expression) => {
    expect(workingHoursNowProblem(expression)).toBeUndefined();
  });

  test.each([
    ['cron(0 8 ? * +MON *)', /cannot read "\+MON"/],
    ['cron(0 8 L-2 * ? *)', /cannot read "L"/],
    ['cron(0 25 ? * MON *)', /cannot read "25"/],
    ['cron(0 8 * *)', /not an AWS cron expression of six fields/],
  ])('GIVEN %s WHEN checked THEN one line saying what it cannot read', (expression, message) => {
    const problem = workingHoursNowProblem(expression);
    expect(problem).toMatch(message);
    expect(problem).toContain(expression);
    expect(problem).not.toContain('\n');
  });
});

describe('workingHoursScript', () => {
  test('GIVEN the script WHEN node runs it with the job\'s variables THEN it prints the state now, one line, as the function says it', () => {
    // GIVEN working hours that are awake all but one minute a year, and the same swapped
    const always = { [WORKING_HOURS_VARIABLES.wake]: 'cron(* * ? * * *)', [WORKING_HOURS_VARIABLES.sleep]: 'cron(0 0 1 JAN ? *)', [WORKING_HOURS_VARIABLES.timezone]: 'UTC' };
    const never = { ...always, [WORKING_HOURS_VARIABLES.wake]: always[WORKING_HOURS_VARIABLES.sleep], [WORKING_HOURS_VARIABLES.sleep]: always[WORKING_HOURS_VARIABLES.wake] };
    // WHEN
    const run = (env: Record<string, string>) => spawnSync(process.execPath, ['-e', workingHoursScript()], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });
    // THEN
    expect(run(always)).toMatchObject({ status: 0, stdout: 'awake\n', stderr: '' });
    expect(run(never)).toMatchObject({ status: 0, stdout: 'asleep\n', stderr: '' });
    const unreadable = run({ ...always, [WORKING_HOURS_VARIABLES.wake]: 'cron(0 8 ? * +MON *)' });
    expect(unreadable.status).not.toBe(0);
    expect(unreadable.stdout).toBe('');
  });

  test('GIVEN the function and the script WHEN read as text THEN neither holds a Terraform interpolation or directive, and the script is one line', () => {
    for (const text of [WORKING_HOURS_FUNCTION, workingHoursScript()]) {
      expect(text).not.toContain('${');
      expect(text).not.toContain('%{');
    }
    expect(workingHoursScript()).not.toContain('\n');
  });
});
