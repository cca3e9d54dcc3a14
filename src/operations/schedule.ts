/** Working hours and preview lifetimes at a given moment: pure, from the environment file and a clock. */
import { Cron } from 'croner';
import { unixPattern } from '../aws/autoscaling';
import type { Schedule } from '../environment/capacity';

/** Where working hours stand at `now`: the state the last action left, and the next action. */
export interface WorkingHoursState {
  readonly state: 'awake' | 'asleep';
  /** When the last action ran (undefined when neither ran in the year before `now`). */
  readonly since?: Date;
  readonly next?: { readonly action: 'wake' | 'sleep'; readonly at: Date };
}

const YEAR_MS = 366 * 24 * 3600 * 1000;

/**
 * The scheduled state at `now`, as Application Auto Scaling leaves it: between two actions the service
 * keeps the last one's count. When neither ran in the past year, asleep if a wake comes next.
 */
export function workingHoursAt(schedule: Schedule, now: Date): WorkingHoursState {
  const cron = (expression: string) => new Cron(unixPattern(expression), { paused: true, timezone: schedule.timezone });
  const wake = cron(schedule.wake);
  const sleep = cron(schedule.sleep);
  const last = (job: Cron) => {
    // previousRuns is strictly before its reference: 1 ms later, an action at `now` itself has run
    const [previous] = job.previousRuns(1, new Date(now.getTime() + 1));
    return previous && now.getTime() - previous.getTime() <= YEAR_MS ? previous : undefined;
  };
  const lastWake = last(wake);
  const lastSleep = last(sleep);
  const nextWake = wake.nextRun(now) ?? undefined;
  const nextSleep = sleep.nextRun(now) ?? undefined;
  let awake: boolean;
  if (lastWake && lastSleep) awake = lastWake > lastSleep;
  else if (lastWake || lastSleep) awake = lastWake !== undefined;
  else awake = nextSleep !== undefined && (nextWake === undefined || nextSleep < nextWake);
  const since = awake ? lastWake : lastSleep;
  const nextAt = awake ? nextSleep : nextWake;
  return { state: awake ? 'awake' : 'asleep', since, next: nextAt && { action: awake ? 'sleep' : 'wake', at: nextAt } };
}

/** A preview's time left before the reaper destroys it: `ttlDays` after its state was last written. */
export function previewTimeLeft(lastDeploy: Date, ttlDays: number, now: Date): { readonly expiresAt: Date; readonly leftSeconds: number } {
  const expiresAt = new Date(lastDeploy.getTime() + ttlDays * 24 * 3600 * 1000);
  return { expiresAt, leftSeconds: Math.round((expiresAt.getTime() - now.getTime()) / 1000) };
}
