import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkEnvironmentFile } from '../../src/environment/load';
import { environmentJsonSchema } from '../../src/synth/editor-schema';
import { HOURS, PREVIEWS } from '../support/bad-input-cases';
import { fixtureJson, setPath, tempProject } from '../support/environments';

/**
 * Working hours (service.schedule, previews.schedule) and capacity provider strategies, at the
 * config layer: each rule's full error line, and the valid neighbour of each boundary.
 */
const dir = tempProject({}).environmentsDir;
let counter = 0;

/** The stg example with some changes, checked as a file: its path and its error lines. */
function check(set: Record<string, unknown>): { file: string; errors: string[] } {
  const config = fixtureJson('stg');
  for (const [dotted, value] of Object.entries(set)) setPath(config, dotted, value);
  const file = path.join(dir, `hours${counter++}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return { file, errors: [...checkEnvironmentFile(file).errors] };
}

const withPreviews = (set: Record<string, unknown>): Record<string, unknown> => ({ ...structuredClone(PREVIEWS), ...set });

describe('service.schedule: AWS cron expressions and an IANA time zone', () => {
  test('the documented example (docs/working-hours-and-cost.md: weekdays 08:00–21:00 in Tokyo) is valid', () => {
    // GIVEN / WHEN
    const { errors } = check({ 'service.schedule': HOURS });
    // THEN
    expect(errors).toEqual([]);
  });

  test.each<[string, Partial<typeof HOURS>, string, string]>([
    ['a Unix cron wake', { wake: '0 8 * * 1-5' }, 'service.schedule.wake', 'must be an AWS cron expression like "cron(0 8 ? * MON-FRI *)" (got "0 8 * * 1-5")'],
    ['a sleep with a year', { sleep: 'cron(0 21 ? * MON-FRI 2027)' }, 'service.schedule.sleep', 'must have "*" as its year: working hours repeat every year (got "cron(0 21 ? * MON-FRI 2027)")'],
    ['an unknown time zone', { timezone: 'Asia/Osaka' }, 'service.schedule.timezone', 'must be an IANA time zone like "Asia/Tokyo" or "UTC" (got "Asia/Osaka")'],
  ])('%s: the rule’s own message, at its field', (_, change, field, message) => {
    // GIVEN / WHEN
    const { file, errors } = check({ 'service.schedule': { ...HOURS, ...change } });
    // THEN exactly one line
    expect(errors).toEqual([`${file}: ${field}: ${message}`]);
  });

  test('a wake that is not a string is a type error, not a cron problem', () => {
    const { file, errors } = check({ 'service.schedule': { ...HOURS, wake: 8 } });
    expect(errors).toHaveLength(1);
    expect(errors[0].startsWith(`${file}: service.schedule.wake: `)).toBe(true);
    expect(errors[0]).not.toContain('cron');
  });

  test('the editor schema gives wake and sleep the pattern ^cron\\(.+\\)$', () => {
    // WHEN
    const schedule = JSON.parse(environmentJsonSchema()).properties.service.properties.schedule.properties;
    // THEN
    expect(schedule.wake.pattern).toBe('^cron\\(.+\\)$');
    expect(schedule.sleep.pattern).toBe('^cron\\(.+\\)$');
  });
});

describe('a schedule scales between 0 and desiredCount', () => {
  test.each<[number]>([[1], [2]])('desiredCount %i with a schedule is valid', (desiredCount) => {
    expect(check({ 'service.schedule': HOURS, 'service.desiredCount': desiredCount }).errors).toEqual([]);
  });

  test('desiredCount 0 with a schedule: nothing to wake', () => {
    // GIVEN / WHEN
    const { file, errors } = check({ 'service.schedule': HOURS, 'service.desiredCount': 0 });
    // THEN
    expect(errors).toEqual([`${file}: service.desiredCount: must be at least 1 with a schedule: wake scales the service back to it (got 0)`]);
  });

  test('desiredCount 0 without a schedule is valid', () => {
    expect(check({ 'service.schedule': undefined, 'service.desiredCount': 0 }).errors).toEqual([]);
  });

  test('wake equal to sleep: one line, at sleep', () => {
    const { file, errors } = check({ 'service.schedule': { ...HOURS, sleep: HOURS.wake } });
    expect(errors).toEqual([`${file}: service.schedule.sleep: must differ from wake (got "cron(0 8 ? * MON-FRI *)")`]);
  });

  test('desiredCount 0 and wake equal to sleep: both lines', () => {
    const { file, errors } = check({ 'service.schedule': { ...HOURS, sleep: HOURS.wake }, 'service.desiredCount': 0 });
    expect(errors).toEqual([
      `${file}: service.desiredCount: must be at least 1 with a schedule: wake scales the service back to it (got 0)`,
      `${file}: service.schedule.sleep: must differ from wake (got "cron(0 8 ? * MON-FRI *)")`,
    ]);
  });
});

describe('previews.schedule', () => {
  test('previews with their own working hours are valid', () => {
    expect(check(withPreviews({ 'previews.schedule': HOURS })).errors).toEqual([]);
  });

  test('previews without working hours are valid', () => {
    expect(check(withPreviews({})).errors).toEqual([]);
  });

  test('a preview wake equal to its sleep: one line, at previews.schedule.sleep', () => {
    const { file, errors } = check(withPreviews({ 'previews.schedule': { ...HOURS, sleep: HOURS.wake } }));
    expect(errors).toEqual([`${file}: previews.schedule.sleep: must differ from wake (got "cron(0 8 ? * MON-FRI *)")`]);
  });

  test('previews at desiredCount 0 with a schedule are valid (the rule is the service’s)', () => {
    expect(check(withPreviews({ 'previews.schedule': HOURS, 'previews.desiredCount': 0 })).errors).toEqual([]);
  });
});

describe('ECS CreateService: a capacity provider strategy needs one provider with a weight above 0', () => {
  const NO_WEIGHT = 'must be above 0, or fargateWeight must: ECS needs one provider with a weight for the tasks beyond the base (got 0)';

  test.each<[string, unknown]>([
    ['"FARGATE"', 'FARGATE'],
    ['"FARGATE_SPOT"', 'FARGATE_SPOT'],
    ['spot weight 1 (the least above 0), fargate 0', { base: 0, fargateWeight: 0, spotWeight: 1 }],
    ['fargate weight 1 (the least above 0), spot 0', { base: 1, fargateWeight: 1, spotWeight: 0 }],
    ['the defaults (base 1, spotWeight 1)', {}],
  ])('service capacity %s is valid', (_, capacity) => {
    expect(check({ 'service.capacity': capacity }).errors).toEqual([]);
  });

  test('service weights 0 and 0: one line, at spotWeight', () => {
    const { file, errors } = check({ 'service.capacity': { base: 1, fargateWeight: 0, spotWeight: 0 } });
    expect(errors).toEqual([`${file}: service.capacity.spotWeight: ${NO_WEIGHT}`]);
  });

  test('preview weights 0 and 0: one line, at previews.capacity.spotWeight', () => {
    const { file, errors } = check(withPreviews({ 'previews.capacity': { base: 0, fargateWeight: 0, spotWeight: 0 } }));
    expect(errors).toEqual([`${file}: previews.capacity.spotWeight: ${NO_WEIGHT}`]);
  });

  test('preview strategy with a weight is valid', () => {
    expect(check(withPreviews({ 'previews.capacity': { base: 0, fargateWeight: 1, spotWeight: 0 } })).errors).toEqual([]);
  });

  test('service and previews both without weight: a line for each, service first', () => {
    const { file, errors } = check(withPreviews({ 'service.capacity': { spotWeight: 0 }, 'previews.capacity': { spotWeight: 0 } }));
    expect(errors).toEqual([`${file}: service.capacity.spotWeight: ${NO_WEIGHT}`, `${file}: previews.capacity.spotWeight: ${NO_WEIGHT}`]);
  });
});
