import { z } from 'zod';
import { RETENTION_DAYS } from '../../aws/logs';

export const retentionInDays = z
  .number()
  .refine((days) => (RETENTION_DAYS as readonly number[]).includes(days), { error: `must be a CloudWatch Logs retention: ${RETENTION_DAYS.join(', ')}` })
  .meta({ enum: [...RETENTION_DAYS] });
