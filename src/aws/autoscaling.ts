/** Application Auto Scaling's scheduled actions on an ECS service: cron expressions, time zones, awake hours. */
import { Cron } from 'croner';

// Application Auto Scaling User Guide, "Scheduled scaling": cron(minutes hours day-of-month month day-of-week year).
const AWS_CRON = /^cron\((.*)\)$/;

/** The scalable dimension of an ECS service's task count. */
export const ECS_DESIRED_COUNT = 'ecs:service:DesiredCount';

/** The scalable target's resource ID of an ECS service. */
export function ecsServiceResourceId(clusterName: string, serviceName: string): string {
  return `service/${clusterName}/${serviceName}`;
}

/**
 * Why an AWS cron expression is refused, or undefined when it is accepted. Beyond AWS's own syntax
 * (checked by croner), two choices of ours: the year is `*` (working hours repeat), and days of the
 * week are names, because AWS counts 1 = SUN while Unix cron counts 1 = MON, a trap either way.
 */
export function awsCronProblem(expression: string): string | undefined {
  const inner = AWS_CRON.exec(expression)?.[1];
  if (inner === undefined) return 'must be an AWS cron expression like "cron(0 8 ? * MON-FRI *)"';
  const fields = inner.trim().split(/\s+/);
  if (fields.length !== 6) return `must have 6 fields (minutes hours day-of-month month day-of-week year), found ${fields.length}`;
  const [, , dayOfMonth, , dayOfWeek, year] = fields;
  if (year !== '*') return 'must have "*" as its year: working hours repeat every year';
  if ((dayOfMonth === '?') === (dayOfWeek === '?')) return 'must have "?" in exactly one of day-of-month and day-of-week (AWS cron)';
  if (/\d/.test(dayOfWeek.replace(/#\d$/, ''))) return 'must name days of the week (MON-FRI), not number them: AWS counts 1 = SUN, Unix cron 1 = MON';
  try {
    new Cron(unixPattern(expression), { paused: true });
  } catch (error) {
    return `must be valid cron: ${(error as Error).message.replace(/^CronPattern: /, '')}`;
  }
  return undefined;
}

/** The expression as croner reads it: the five Unix fields, the year (always `*`) dropped. */
export function unixPattern(expression: string): string {
  return AWS_CRON.exec(expression)![1].trim().split(/\s+/).slice(0, 5).join(' ');
}

/** Whether `timezone` is an IANA time zone name this runtime (and so AWS) knows, e.g. "Asia/Tokyo". */
export function isTimeZone(timezone: string): boolean {
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(timezone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** A wake/sleep pair of scheduled actions. */
export interface WorkingHours {
  readonly wake: string;
  readonly sleep: string;
  readonly timezone: string;
}

/**
 * Hours a service with these working hours runs, per week, averaged over the 52 weeks from `from`
 * (daylight saving time included). Between two actions the service keeps the last one's count.
 */
export function awakeHoursPerWeek(hours: WorkingHours, from = new Date('2027-01-04T00:00:00Z')): number {
  const weeks = 52;
  const until = new Date(from.getTime() + weeks * 7 * 24 * 3600 * 1000);
  const runs = (expression: string, awake: boolean) => {
    const cron = new Cron(unixPattern(expression), { paused: true, timezone: hours.timezone });
    const events: { at: number; awake: boolean }[] = [];
    // nextRun is strictly after its argument: start 1 ms early so an action at `from` itself counts
    for (let next = cron.nextRun(new Date(from.getTime() - 1)); next && next < until; next = cron.nextRun(next)) events.push({ at: next.getTime(), awake });
    return events;
  };
  const events = [...runs(hours.wake, true), ...runs(hours.sleep, false)].sort((a, b) => a.at - b.at);
  if (events.length === 0) return 0;
  // the state at `from` is the one the year's last action left (the schedule repeats)
  let awake = events[events.length - 1].awake;
  let since = from.getTime();
  let total = 0;
  for (const event of [...events, { at: until.getTime(), awake: false }]) {
    if (awake) total += event.at - since;
    awake = event.awake;
    since = event.at;
  }
  return total / 3600_000 / weeks;
}
