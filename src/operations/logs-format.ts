/** `npm run logs`'s pure parts: `--since`, the stream prefix of a task or container, and one event as a line. */

const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--since`: a duration back from now (`30s`, `10m`, `1h`, `2d`, `1h30m`) or a moment (`2026-12-07T10:00:00Z`).
 * Returns the start time in epoch milliseconds, or throws one line.
 */
export function parseSince(value: string, now: number): number {
  const duration = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(value);
  if (duration && value !== '') {
    const [, d, h, m, s] = duration;
    const ms = Number(d ?? 0) * UNIT_MS.d + Number(h ?? 0) * UNIT_MS.h + Number(m ?? 0) * UNIT_MS.m + Number(s ?? 0) * UNIT_MS.s;
    if (ms > 0) return now - ms;
  }
  if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const at = Date.parse(value);
    if (!Number.isNaN(at) && at <= now) return at;
  }
  throw new Error(`--since ${value}: must be a duration like 30s, 10m, 1h, 2d or 1h30m, or a past time like 2026-12-07T10:00:00Z`);
}

/**
 * awslogs names a stream `<prefix>/<container>/<task ID>`: the prefix for one task's (`--task`) or one
 * container's (`--container`, default the file's) streams.
 */
export function streamPrefix(logStreamPrefix: string, container: string, task?: string): string {
  return task === undefined ? `${logStreamPrefix}/${container}/` : `${logStreamPrefix}/${container}/${task}`;
}

/** A task ID as `--task` takes it: the 32 hex characters (or a prefix of them), or a task ARN. */
export function taskIdOf(value: string): string {
  const id = value.split('/').pop() ?? '';
  if (!/^[0-9a-f-]{1,36}$/.test(id)) throw new Error(`--task ${value}: must be a task ID (from npm run status) or a task ARN`);
  return id;
}

export interface LogEvent {
  readonly eventId?: string;
  readonly timestamp?: number;
  readonly logStreamName?: string;
  readonly message?: string;
}

/** `2026-12-07T12:01:02.123Z  <task ID>  message`, the message's own trailing newline dropped. */
export function formatEvent(event: LogEvent): string {
  const time = event.timestamp === undefined ? '?' : new Date(event.timestamp).toISOString();
  const task = (event.logStreamName ?? '').split('/').pop() || '-';
  return `${time}  ${task}  ${(event.message ?? '').replace(/\r?\n$/, '')}`;
}
