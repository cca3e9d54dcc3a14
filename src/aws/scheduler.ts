/** EventBridge Scheduler facts: names, universal targets. */
import { createHash } from 'node:crypto';

/** Schedule names (and IAM role names): 1–64 characters (EventBridge Scheduler API Reference, "CreateSchedule"; IAM "CreateRole"). */
export const SCHEDULE_NAME_MAX = 64;

/**
 * `<base>-<suffix>`, within 64 characters: a base too long keeps its start and gains 8 hex digits of
 * its hash, so two long bases (two previews' clones) never share a name.
 */
export function boundedName(base: string, suffix: string, max = SCHEDULE_NAME_MAX): string {
  const whole = `${base}-${suffix}`;
  if (whole.length <= max) return whole;
  const hash = createHash('sha256').update(base).digest('hex').slice(0, 8);
  return `${base.slice(0, max - suffix.length - hash.length - 2).replace(/-+$/, '')}-${hash}-${suffix}`;
}

/** The universal target that makes one AWS SDK call (EventBridge Scheduler User Guide, "Using universal targets"). */
export function universalTarget(service: string, action: string): string {
  return `arn:aws:scheduler:::aws-sdk:${service}:${action}`;
}

/** The trust policy of a role EventBridge Scheduler assumes, for schedules of one account only (confused deputy). */
export function assumedByScheduler(account: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'scheduler.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': account } } }],
  });
}
