import { z } from 'zod';
import { awsCronProblem, isTimeZone } from '../../aws/autoscaling';
import { stringRule } from './rule';

/** An Application Auto Scaling cron expression; the message says which part is wrong. */
export const awsCron = z
  .string()
  .superRefine((value, context) => {
    const problem = awsCronProblem(value);
    if (problem) context.addIssue({ code: 'custom', input: value, message: problem });
  })
  .meta({ pattern: '^cron\\(.+\\)$' });

export const timeZone = stringRule('must be an IANA time zone like "Asia/Tokyo" or "UTC"', isTimeZone);
