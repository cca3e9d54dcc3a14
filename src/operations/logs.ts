/**
 * `npm run logs`: the container's events from its log group (CloudWatch Logs FilterLogEvents), paginated
 * to the end, and with `follow` polled every second. FilterLogEvents can answer an empty page while a
 * nextToken remains: only a missing token ends a read.
 */
import type { DescribeLogGroupsCommandOutput, FilterLogEventsCommandOutput } from '@aws-sdk/client-cloudwatch-logs';
import { Clients, send } from './clients';
import { checkAccount } from './ecs';
import { OperationError } from './errors';
import { formatEvent, LogEvent, streamPrefix } from './logs-format';
import { sdk } from './sdk';
import type { OperationTarget } from './target';

export interface LogsOptions {
  /** Epoch milliseconds of the first event. */
  readonly startTime: number;
  readonly container?: string;
  readonly task?: string;
  readonly follow?: boolean;
}

/** What the follow loop needs of the world: a clock, a pause, and when to stop (the tests give their own). */
export interface FollowRuntime {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** True once following should end (Ctrl-C). */
  readonly stopped: () => boolean;
}

/** Polls once a second, as `copilot svc logs --follow` does. */
export const FOLLOW_INTERVAL_MS = 1000;
/** Following ends after this long (StartLiveTail's own limit is 3 hours): a forgotten terminal stops calling AWS. */
export const FOLLOW_LIMIT_MS = 3 * 3600 * 1000;
/**
 * Each poll reads again from this far before the newest event seen: an event can arrive with an older
 * timestamp than one already shown (ingestion is not in order). The event IDs seen keep it from printing twice.
 */
export const FOLLOW_LOOKBACK_MS = 60_000;
/** A read that keeps answering tokens stops here: 10 000 pages is far more than any log group gives at once. */
export const MAX_PAGES = 10_000;

/** Every event from `startTime` on, page after page, until no nextToken remains; `onEvent` gets each in order. */
export async function filterAll(
  clients: Clients,
  request: { logGroupName: string; logStreamNamePrefix: string; startTime: number },
  onEvent: (event: LogEvent) => void,
): Promise<{ pages: number; events: number }> {
  let nextToken: string | undefined;
  let pages = 0;
  let events = 0;
  const seenTokens = new Set<string>();
  do {
    const page = await send<FilterLogEventsCommandOutput>(clients.logs, new sdk.logs.FilterLogEventsCommand({ ...request, nextToken }));
    pages++;
    for (const event of page.events ?? []) {
      events++;
      onEvent(event);
    }
    nextToken = page.nextToken;
    // a token given twice would loop for ever
    if (nextToken !== undefined && seenTokens.has(nextToken)) break;
    if (nextToken !== undefined) seenTokens.add(nextToken);
  } while (nextToken !== undefined && pages < MAX_PAGES);
  return { pages, events };
}

/** The log group must exist: a stack never deployed (or a wrong name) is one line, not an empty output. */
async function checkLogGroup(clients: Clients, target: OperationTarget): Promise<void> {
  const answer = await send<DescribeLogGroupsCommandOutput>(clients.logs, new sdk.logs.DescribeLogGroupsCommand({ logGroupNamePrefix: target.logGroup }));
  if (!(answer.logGroups ?? []).some((group) => group.logGroupName === target.logGroup)) {
    throw new OperationError(`${target.stack} is not deployed: no log group ${target.logGroup} (${target.region})`);
  }
}

/**
 * Prints the events (`write` gets one line each); with `follow`, keeps polling every second until
 * `runtime.stopped()` or FOLLOW_LIMIT_MS, printing each new event once (by its event ID).
 */
export async function printLogs(clients: Clients, target: OperationTarget, options: LogsOptions, write: (line: string) => void, runtime: FollowRuntime): Promise<{ events: number }> {
  await checkAccount(clients, target);
  await checkLogGroup(clients, target);
  const request = { logGroupName: target.logGroup, logStreamNamePrefix: streamPrefix(target.logStreamPrefix, options.container ?? target.container, options.task) };
  const seen = new Map<string, number>();
  let newest = options.startTime;
  let printed = 0;
  const show = (event: LogEvent) => {
    // the prefix is the request's; an event of another stream (an endpoint that ignores it) is not this container's
    if (event.logStreamName !== undefined && !event.logStreamName.startsWith(request.logStreamNamePrefix)) return;
    if (event.eventId !== undefined) {
      if (seen.has(event.eventId)) return;
      seen.set(event.eventId, event.timestamp ?? 0);
    }
    newest = Math.max(newest, event.timestamp ?? 0);
    printed++;
    write(formatEvent(event));
  };
  await filterAll(clients, { ...request, startTime: options.startTime }, show);
  if (!options.follow) return { events: printed };
  const until = runtime.now() + FOLLOW_LIMIT_MS;
  while (!runtime.stopped()) {
    if (runtime.now() >= until) {
      write(`(stopped following after ${FOLLOW_LIMIT_MS / 3600_000} hours: run npm run logs again to go on)`);
      break;
    }
    await runtime.sleep(FOLLOW_INTERVAL_MS);
    if (runtime.stopped()) break;
    const from = Math.max(options.startTime, newest - FOLLOW_LOOKBACK_MS);
    await filterAll(clients, { ...request, startTime: from }, show);
    // the IDs older than the window can never come back: forget them, so memory stays bounded
    for (const [id, timestamp] of seen) if (timestamp < from) seen.delete(id);
  }
  return { events: printed };
}
