/** `npm run status`'s words: the report of status.ts as one screen of text, or one JSON document. Pure. */
import { isUnreadable, Part, RevisionRef, StatusReport, TargetStatus } from './status';
import type { AccessRestriction } from './target';

/** `2026-12-07 12:00 UTC`, or in a time zone: `2026-12-07 21:00 Asia/Tokyo`. */
export function formatTime(iso: string | undefined, timeZone = 'UTC'): string {
  if (!iso) return '?';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(iso))
      .map((item) => [item.type, item.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${timeZone}`;
}

/** `2d 3h`, `8h 12m`, `12m`, `45s`: the two largest units. */
export function formatDuration(seconds: number): string {
  let rest = Math.max(0, Math.round(seconds));
  const counts = ([['d', 86400], ['h', 3600], ['m', 60], ['s', 1]] as const).map(([unit, size]) => {
    const count = Math.floor(rest / size);
    rest -= count * size;
    return { unit, count };
  });
  const first = counts.findIndex((item) => item.count > 0);
  if (first < 0) return '0s';
  return counts.slice(first, first + 2).filter((item) => item.count > 0).map((item) => `${item.count}${item.unit}`).join(' ');
}

/** `stg-server:2`, or the ARN when it is not a revision ARN. */
export function formatRevision(ref: RevisionRef): string {
  return ref.family !== undefined && ref.revision !== undefined ? `${ref.family}:${ref.revision}` : ref.arn || '?';
}

/** Who may reach the host, in words; every restriction applies at once. */
export function describeAccess(access: readonly AccessRestriction[]): string {
  const words = access.map((restriction) => {
    switch (restriction.kind) {
      case 'public':
        return 'anyone (access.public: true)';
      case 'sourceIps':
        return `only from ${restriction.cidrs.join(', ')}`;
      case 'httpHeader':
        return `with the header ${restriction.name} (its value in ${restriction.valueFrom})`;
      case 'oidc':
        return `after an OpenID Connect login at ${restriction.issuer}`;
      case 'cognito':
        return `after a Cognito login (domain ${restriction.userPoolDomain})`;
    }
  });
  if (words.length === 0) return 'not restricted in the file';
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

const LABEL = 13;

/** A section: its label on the first row, the other rows under it. */
function section(label: string, rows: readonly string[]): string[] {
  const pad = ' '.repeat(LABEL);
  return (rows.length === 0 ? ['none'] : rows).map((row, index) => `${index === 0 ? label.padEnd(LABEL) : pad}${row}`);
}

function unreadable(part: { error: string }): string[] {
  return [`not read: ${part.error}`];
}

/** Rows of a part: its own, or the one line saying why it could not be read. */
function rowsOf<T>(value: Part<T>, rows: (value: T) => string[]): string[] {
  return isUnreadable(value) ? unreadable(value) : rows(value);
}

/** Columns padded to their widest cell, each row joined by two spaces. */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index]))).join('  ').trimEnd());
}

function targetWords(target: TargetStatus | undefined): string {
  if (!target) return 'no target';
  const why = target.reason ? ` (${target.reason}${target.description ? `: ${target.description}` : ''})` : '';
  return `target ${target.state ?? '?'}${why}`;
}

/** The report as one screen of text. */
export function formatStatus(report: StatusReport): string {
  const lines: string[] = [];
  const when = (iso: string | undefined) => formatTime(iso);
  const ago = (iso: string | undefined) => (iso ? ` (${formatDuration((Date.parse(report.checkedAt) - Date.parse(iso)) / 1000)} ago)` : '');
  lines.push(`${report.stack}: ${report.file}, ${report.region}${report.account ? `, account ${report.account}` : ''}, at ${when(report.checkedAt)}`);
  lines.push(
    ...section('url', isUnreadable(report.url)
      ? [`https://${report.host} (the listener was not read, so the scheme is a guess: ${report.url.error})`]
      : [`${report.url.url}${report.url.protocol ? ` (${report.url.protocol} listener, port ${report.url.port})` : ''}`]),
  );
  lines.push(...section('access', [describeAccess(report.access)]));
  const service = report.service;
  lines.push(
    ...section('service', [
      `${service.name} in ${service.cluster}: ${service.status ?? '?'}, ${service.running} running / ${service.desired} desired / ${service.pending} pending, on ${formatRevision(service.taskDefinition)}${service.launch ? ` (${service.launch})` : ''}`,
    ]),
  );
  lines.push(
    ...section('deployments', rowsOf(report.deployments, (deployments) =>
      table(deployments.map((deployment) => [
        deployment.status,
        deployment.rolloutState ?? '-',
        formatRevision(deployment.taskDefinition),
        deployment.image !== undefined ? `image ${deployment.imageTag}` : `image ? (${deployment.imageError ?? 'no container'})`,
        `${deployment.running}/${deployment.desired} running`,
        `${deployment.failedTasks} failed`,
        `since ${when(deployment.createdAt)}`,
      ])).concat(deployments.filter((deployment) => deployment.rolloutState === 'FAILED' && deployment.rolloutStateReason).map((deployment) => `${deployment.id}: ${deployment.rolloutStateReason}`)),
    )),
  );
  const targets = isUnreadable(report.targets) ? [] : report.targets;
  lines.push(
    ...section('tasks', rowsOf(report.tasks, (tasks) =>
      table(tasks.map((task) => [
        task.id,
        task.lastStatus ?? '?',
        task.healthStatus ?? '-',
        task.privateIp ?? '-',
        formatRevision(task.taskDefinition),
        `started ${when(task.startedAt)}`,
        isUnreadable(report.targets) ? 'target ?' : targetWords(targets.find((target) => target.taskId === task.id)),
      ])),
    )),
  );
  const others = targets.filter((target) => target.taskId === undefined);
  if (isUnreadable(report.targets)) lines.push(...section('targets', unreadable(report.targets)));
  else if (others.length > 0) lines.push(...section('targets', others.map((target) => `${target.id}${target.port ? `:${target.port}` : ''}  ${targetWords(target)}, no running task of the service has this IP`)));
  lines.push(
    ...section('stopped', rowsOf(report.stoppedTasks, (stopped) =>
      stopped.map((task) => {
        const exits = task.containers.filter((container) => container.exitCode !== undefined || container.reason).map((container) => `${container.name} ${container.exitCode !== undefined ? `exit ${container.exitCode}` : ''}${container.reason ? ` ${container.reason}` : ''}`.trim());
        return `${task.id}  ${formatRevision(task.taskDefinition)}  ${when(task.stoppedAt)}${ago(task.stoppedAt)}  ${[task.stopCode, task.stoppedReason].filter(Boolean).join(': ') || 'no reason given'}${exits.length ? ` (${exits.join('; ')})` : ''}`;
      }),
    )),
  );
  const hours = report.workingHours;
  if (hours) {
    const next = hours.next ? `; ${hours.next.action === 'sleep' ? 'sleeps' : 'wakes'} at ${formatTime(hours.next.at, hours.timezone)}, in ${formatDuration((Date.parse(hours.next.at) - Date.parse(report.checkedAt)) / 1000)}` : '; no next action';
    const capacity = isUnreadable(hours.capacity)
      ? `; capacity not read: ${hours.capacity.error}`
      : hours.state === 'asleep' && (hours.capacity.max ?? 0) > 0
        ? `; but woken by hand: capacity ${hours.capacity.max} until the next sleep`
        : hours.state === 'awake' && hours.capacity.max === 0
          ? '; but capacity 0: put to sleep by hand, or the wake action failed (npm run wake)'
          : `; capacity ${hours.capacity.min}–${hours.capacity.max}`;
    lines.push(...section('hours', [`${hours.state} by the schedule${hours.since ? ` since ${formatTime(hours.since, hours.timezone)}` : ''}${next}${capacity}`, `wake ${hours.wake}, sleep ${hours.sleep}, ${hours.timezone}`]));
  }
  if (report.preview) {
    lines.push(
      ...section('preview', rowsOf(report.preview, (preview) => {
        const closed = preview.closed ? '; closed, its destroy did not finish: the reaper tries again at its next run' : '';
        if (preview.leftSeconds === undefined) return [`PR ${preview.number}: no state object in the bucket (never applied, or destroyed)${closed}`];
        const left = preview.leftSeconds > 0
          ? `${formatDuration(preview.leftSeconds)} left of ${preview.ttlDays} day(s)`
          : `expired ${formatDuration(-preview.leftSeconds)} ago: the reaper destroys it at its next run`;
        return [`PR ${preview.number}: ${left} (last deploy ${when(preview.lastDeploy)}, destroyed without a deploy after ${when(preview.expiresAt)})${closed}`];
      })),
    );
  }
  if (report.lastBuild !== undefined) {
    lines.push(
      ...section('last build', rowsOf(report.lastBuild, (build) => {
        if (build === null) return ['no build yet'];
        const took = build.startTime && build.endTime ? `, took ${formatDuration((Date.parse(build.endTime) - Date.parse(build.startTime)) / 1000)}` : build.phase ? `, in ${build.phase}` : '';
        return [`${build.id ?? build.project}  ${build.status ?? '?'}  started ${when(build.startTime)}${ago(build.startTime)}${took}${build.sourceVersion ? `  source ${build.sourceVersion}` : ''}`];
      })),
    );
  }
  lines.push(...section('events', report.events.map((event) => `${when(event.createdAt)}  ${event.message ?? ''}`)));
  return `${lines.join('\n')}\n`;
}

/** The report as one JSON document (the same parts; an unreadable one is `{"error": "..."}`). */
export function formatStatusJson(report: StatusReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
