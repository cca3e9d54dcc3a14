import { awakeHoursPerWeek, awsCronProblem, ECS_DESIRED_COUNT, ecsServiceResourceId, isTimeZone } from '../../src/aws/autoscaling';

const NOT_AWS_CRON = 'must be an AWS cron expression like "cron(0 8 ? * MON-FRI *)"';
const FIELDS = (n: number) => `must have 6 fields (minutes hours day-of-month month day-of-week year), found ${n}`;
const YEAR = 'must have "*" as its year: working hours repeat every year';
const ONE_QUESTION_MARK = 'must have "?" in exactly one of day-of-month and day-of-week (AWS cron)';
const NUMBERED_DAYS = 'must name days of the week (MON-FRI), not number them: AWS counts 1 = SUN, Unix cron 1 = MON';

describe('Application Auto Scaling on an ECS service: names', () => {
  test('the scalable dimension of the task count is ecs:service:DesiredCount', () => {
    expect(ECS_DESIRED_COUNT).toBe('ecs:service:DesiredCount');
  });

  test('the resource ID is service/<cluster>/<service>', () => {
    expect(ecsServiceResourceId('stg', 'api')).toBe('service/stg/api');
  });
});

describe('awsCronProblem: AWS cron(minutes hours day-of-month month day-of-week year)', () => {
  test.each<[string, string]>([
    ['weekdays at 08:00', 'cron(0 8 ? * MON-FRI *)'],
    ['a day of the month, "?" as the day of the week', 'cron(0 8 1 * ? *)'],
    ['the last day of the month', 'cron(0 8 L * ? *)'],
    ['the second Monday (#2 is not a numbered day)', 'cron(0 8 ? * MON#2 *)'],
    ['spaces inside the parentheses', 'cron( 0 8 ? * MON-FRI * )'],
    ['two spaces between fields', 'cron(0  8 ? * MON-FRI *)'],
    ['hour 23 and minute 59, the largest', 'cron(59 23 ? * SUN *)'],
  ])('accepts %s: %s', (_, expression) => {
    // WHEN / THEN
    expect(awsCronProblem(expression)).toBeUndefined();
  });

  test.each<[string, string, string]>([
    ['a Unix cron expression', '0 8 * * 1-5', NOT_AWS_CRON],
    ['text before cron(', 'xcron(0 8 ? * MON-FRI *)', NOT_AWS_CRON],
    ['text after the closing parenthesis', 'cron(0 8 ? * MON-FRI *)x', NOT_AWS_CRON],
    ['a rate expression', 'rate(1 hour)', NOT_AWS_CRON],
    ['five fields, one short', 'cron(0 8 ? * MON-FRI)', FIELDS(5)],
    ['seven fields, one too many', 'cron(0 8 ? * MON-FRI * 1)', FIELDS(7)],
    ['no fields', 'cron()', FIELDS(1)],
    ['a year', 'cron(0 21 ? * MON-FRI 2027)', YEAR],
    ['both day fields "*"', 'cron(0 8 * * MON-FRI *)', ONE_QUESTION_MARK],
    ['both day fields "?"', 'cron(0 8 ? * ? *)', ONE_QUESTION_MARK],
    ['numbered days of the week', 'cron(0 8 ? * 2-6 *)', NUMBERED_DAYS],
    ['one numbered day', 'cron(0 8 ? * 1 *)', NUMBERED_DAYS],
    ['a numbered day with #', 'cron(0 8 ? * 2#1 *)', NUMBERED_DAYS],
    ['a named day then a numbered one', 'cron(0 8 ? * MON,3 *)', NUMBERED_DAYS],
    ['hour 24, one past 23', 'cron(0 24 ? * MON-FRI *)', 'must be valid cron: Invalid value for hour: 24'],
    ['minute 60, one past 59', 'cron(60 8 ? * MON-FRI *)', 'must be valid cron: Invalid value for minute: 60'],
    ['an unknown day name', 'cron(0 8 ? * FOO *)', 'must be valid cron: configuration entry 5 (FOO) contains illegal characters.'],
  ])('refuses %s: %s', (_, expression, problem) => {
    // WHEN / THEN
    expect(awsCronProblem(expression)).toBe(problem);
  });
});

describe('isTimeZone: an IANA time zone name AWS knows', () => {
  test.each<[string, boolean]>([
    ['UTC', true],
    ['Asia/Tokyo', true],
    ['asia/tokyo', true],
    ['America/Argentina/Buenos_Aires', true],
    ['America/Port-au-Prince', true],
    ['Etc/GMT+9', true],
    ['Asia/Osaka', false],
    ['+09:00', false],
    ['', false],
    ['Asia/Tokyo ', false],
    ['Asia/Tokyo/', false],
    // the grammar is Area[/Location…] with a plain first part: the legacy names with a digit or
    // sign in it, which the runtime knows, are refused
    ['GMT+0', false],
    ['EST5EDT', false],
  ])('%s → %s', (timezone, known) => {
    // WHEN / THEN
    expect(isTimeZone(timezone)).toBe(known);
  });
});

describe('awakeHoursPerWeek: hours awake per week, averaged over 52 weeks', () => {
  const hours = (wake: string, sleep: string, timezone = 'UTC') => ({ wake, sleep, timezone });
  const FROM = new Date('2027-01-04T00:00:00Z'); // a Monday

  test('weekdays 08:00–21:00 in Tokyo: 13 h × 5 = 65 h (the default window)', () => {
    // GIVEN / WHEN
    const awake = awakeHoursPerWeek(hours('cron(0 8 ? * MON-FRI *)', 'cron(0 21 ? * MON-FRI *)', 'Asia/Tokyo'));
    // THEN
    expect(awake).toBe(65);
  });

  test('awake across the start of the window: Sunday 22:00 to Friday 12:00 is 110 h', () => {
    // GIVEN the window starts on a Monday, while the service is awake
    // WHEN
    const awake = awakeHoursPerWeek(hours('cron(0 22 ? * SUN *)', 'cron(0 12 ? * FRI *)'), FROM);
    // THEN 2 h on Sunday + 4 days × 24 h + 12 h on Friday
    expect(awake).toBe(110);
  });

  test('a wake at the very start of the window counts: Monday 00:00 to 12:00 is 12 h', () => {
    // GIVEN the window starts on Monday 00:00 UTC, the moment the service wakes
    // WHEN
    const awake = awakeHoursPerWeek(hours('cron(0 0 ? * MON *)', 'cron(0 12 ? * MON *)'), FROM);
    // THEN 12 h every week, the first included (it was 11.77 when the first wake was skipped)
    expect(awake).toBe(12);
  });

  test('asleep at the start of the window: Monday 12:00 to Tuesday 12:00 is 24 h', () => {
    expect(awakeHoursPerWeek(hours('cron(0 12 ? * MON *)', 'cron(0 12 ? * TUE *)'), FROM)).toBe(24);
  });

  test('every day 06:00–18:00 is 84 h', () => {
    expect(awakeHoursPerWeek(hours('cron(0 6 * * ? *)', 'cron(0 18 * * ? *)'), FROM)).toBe(84);
  });

  test('the night New York springs forward (14 March 2027), 00:00–12:00 is 11 h', () => {
    // GIVEN one wake and one sleep a year, on the day daylight saving time starts
    // WHEN
    const awake = awakeHoursPerWeek(hours('cron(0 0 14 MAR ? *)', 'cron(0 12 14 MAR ? *)', 'America/New_York'), FROM);
    // THEN 11 hours over 52 weeks
    expect(awake).toBeCloseTo(11 / 52, 12);
  });

  test('the night New York falls back (7 November 2027), 00:00–12:00 is 13 h', () => {
    expect(awakeHoursPerWeek(hours('cron(0 0 7 NOV ? *)', 'cron(0 12 7 NOV ? *)', 'America/New_York'), FROM)).toBeCloseTo(13 / 52, 12);
  });

  test('the same day in UTC, with no daylight saving time, is 12 h', () => {
    expect(awakeHoursPerWeek(hours('cron(0 0 14 MAR ? *)', 'cron(0 12 14 MAR ? *)'), FROM)).toBeCloseTo(12 / 52, 12);
  });

  test('a schedule that never runs (30 February) is 0 h', () => {
    expect(awakeHoursPerWeek(hours('cron(0 8 30 FEB ? *)', 'cron(0 9 30 FEB ? *)'), FROM)).toBe(0);
  });

  test('the window ends before its last instant: a wake exactly 52 weeks after the start is outside it', () => {
    // GIVEN a yearly wake at 3 January 2028 00:00 UTC, the end of the window, and no other action in it
    // WHEN
    const awake = awakeHoursPerWeek(hours('cron(0 0 3 JAN ? *)', 'cron(0 12 3 JAN ? *)'), FROM);
    // THEN nothing is awake in the window
    expect(awake).toBe(0);
  });

  test('a later start moves the window: from 1 March 2027, 10 January 2028 is inside it', () => {
    expect(awakeHoursPerWeek(hours('cron(0 0 10 JAN ? *)', 'cron(0 12 10 JAN ? *)'), new Date('2027-03-01T00:00:00Z'))).toBeCloseTo(12 / 52, 12);
  });
});
