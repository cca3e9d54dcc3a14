import { awakeHoursPerWeek } from '../aws/autoscaling';
import { CapacityProviderItem, spotTasks } from '../aws/ecs';
import { FargateRate, PRICE_TABLE, priceTableAgeDays, RegionPrices } from '../aws/prices';
import { capacityStrategy, previewCapacity, previewSchedule, Schedule } from '../environment/capacity';
import { EnvironmentConfig } from '../environment/schema';
import { KIT } from '../kit/defaults';
import { CLONE_LIMITS, isCloneEngine } from '../aws/rds';
import { cloneSize, previewsClone, stagingClones } from '../environment/clone';

/**
 * `cost.md`: what a stack adds per month, estimated from the environment file and the committed price
 * table (src/aws/prices.ts). Every line shows its quantity and its price, so a person can recompute it.
 */

/** What the estimate assumes where the file says nothing. Each is printed in `cost.md`. */
export const COST_ASSUMPTIONS = {
  /** AWS pricing's month. */
  hoursPerMonth: 730,
  /** Log volume of a running task: about 48 MB a day, an API's request log at a few requests a second. */
  logGbPerTaskHour: 0.002,
  /** A typical build: a Go build, a docker build and push, and the wait for the deploy. */
  buildMinutes: 6,
  /** Builds of the staging pipeline: about three merges a working day. */
  buildsPerMonth: 60,
  /** Builds of one open pull request a day (its pushes). */
  previewBuildsPerDay: 2,
} as const;

const DAYS_PER_MONTH = COST_ASSUMPTIONS.hoursPerMonth / 24;

/** One priced line of the estimate. */
export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly price: string;
  /** USD, rounded to cents (the total adds the rounded lines, so it can be recomputed from them). */
  readonly usd: number;
}

/** The running time of a service: tasks, and hours per month from the schedule (or always on). */
interface Running {
  readonly vcpu: number;
  readonly gb: number;
  readonly architecture: 'X86_64' | 'ARM64';
  readonly tasks: number;
  readonly strategy?: readonly CapacityProviderItem[];
  readonly schedule?: Schedule;
}

export interface CostEstimate {
  readonly stack: string;
  readonly region: string;
  /** Hours a month the service runs, and how that was found. */
  readonly hours: { readonly perMonth: number; readonly note: string };
  readonly lines: readonly CostLine[];
  readonly total: number;
  /** Per preview-day, for a file with previews. */
  readonly previewDay?: { readonly hours: { readonly perDay: number; readonly note: string }; readonly lines: readonly CostLine[]; readonly total: number };
  /** What is not counted, and why (no price in the table for this region). */
  readonly notCounted: readonly string[];
}

const cents = (usd: number): number => Math.round(usd * 100) / 100;
const money = (usd: number): string => `$${usd.toFixed(2)}`;
const rate = (value: number): string => `$${Number(value.toPrecision(4))}`;
const round = (value: number, digits = 2): string => String(Number(value.toFixed(digits)));

/** Awake hours per week and how they were found. */
function awakeHours(schedule: Schedule | undefined, where: string): { perWeek: number; note: string } {
  if (!schedule) return { perWeek: 168, note: 'always on (no schedule)' };
  const perWeek = awakeHoursPerWeek(schedule);
  return { perWeek, note: `${round(perWeek, 1)} h a week from ${where}: wake ${schedule.wake}, sleep ${schedule.sleep}, ${schedule.timezone}` };
}

/** The Fargate lines of `taskHours` task-hours, split between on-demand and Spot by the strategy. */
function fargateLines(running: Running, taskHours: number, prices: RegionPrices, notCounted: string[]): CostLine[] {
  const onDemand = prices.fargate[running.architecture];
  if (!onDemand) {
    notCounted.push(`Fargate ${running.architecture}: no price in the table for this region`);
    return [];
  }
  const spotShare = running.tasks === 0 ? 0 : spotTasks(running.strategy, running.tasks) / running.tasks;
  const listedSpot = prices.fargateSpot?.[running.architecture];
  const discounted = (value: number) => value * (1 - PRICE_TABLE.spotDiscountWhenUnlisted);
  const spot: FargateRate = listedSpot ?? { vcpuHour: discounted(onDemand.vcpuHour), gbHour: discounted(onDemand.gbHour) };
  const spotNote = listedSpot ? '' : ` (on-demand − ${PRICE_TABLE.spotDiscountWhenUnlisted * 100}%: no Spot price in the table)`;
  const lines: CostLine[] = [];
  const share = (kind: string, fraction: number, prices: FargateRate, note = '') => {
    if (fraction === 0) return;
    const hours = taskHours * fraction;
    lines.push(
      { item: `Fargate vCPU (${kind}, ${running.architecture})`, quantity: `${running.vcpu} vCPU × ${round(hours, 1)} task-h`, price: `${rate(prices.vcpuHour)}/vCPU-h${note}`, usd: cents(running.vcpu * hours * prices.vcpuHour) },
      { item: `Fargate memory (${kind}, ${running.architecture})`, quantity: `${running.gb} GB × ${round(hours, 1)} task-h`, price: `${rate(prices.gbHour)}/GB-h${note}`, usd: cents(running.gb * hours * prices.gbHour) },
    );
  };
  share('on-demand', 1 - spotShare, onDemand);
  share('Spot', spotShare, spot, spotNote);
  return lines;
}

/** Log ingestion of `taskHours`, and its storage for `retentionDays`, as a monthly (or daily) figure. */
function logLines(taskHours: number, retentionDays: number, prices: RegionPrices, notCounted: string[]): CostLine[] {
  const ingested = taskHours * COST_ASSUMPTIONS.logGbPerTaskHour;
  const lines: CostLine[] = [
    { item: 'Log ingestion', quantity: `${round(ingested, 3)} GB (${COST_ASSUMPTIONS.logGbPerTaskHour} GB/task-h)`, price: `${rate(prices.logs.ingestedGb)}/GB`, usd: cents(ingested * prices.logs.ingestedGb) },
  ];
  if (prices.logs.storedGbMonth === undefined) {
    notCounted.push('log storage: no price in the table for this region');
    return lines;
  }
  // kept for retentionDays: the stored volume is what retentionDays of ingestion adds up to
  const stored = (ingested * retentionDays) / DAYS_PER_MONTH;
  lines.push({ item: 'Log storage', quantity: `${round(stored, 3)} GB (kept ${retentionDays} days)`, price: `${rate(prices.logs.storedGbMonth)}/GB-month`, usd: cents(stored * prices.logs.storedGbMonth) });
  return lines;
}

function buildLine(whose: string, builds: number, arm64: boolean, computeType: string, prices: RegionPrices, notCounted: string[]): CostLine[] {
  const environment = arm64 ? 'ARM_CONTAINER' : 'LINUX_CONTAINER';
  const perMinute = prices.codebuildMinute[environment]?.[computeType];
  const minutes = builds * COST_ASSUMPTIONS.buildMinutes;
  if (perMinute === undefined) {
    notCounted.push(`CodeBuild ${environment} ${computeType}, ${whose}: ${round(minutes, 1)} build minutes, no price in the table for this region`);
    return [];
  }
  return [{ item: `CodeBuild (${environment}, ${computeType})`, quantity: `${round(builds, 1)} builds × ${COST_ASSUMPTIONS.buildMinutes} min`, price: `${rate(perMinute)}/min`, usd: cents(minutes * perMinute) }];
}

/**
 * A copy-on-write clone's lines over `hours` of running (it sleeps with the service): its one instance,
 * or Serverless v2 ACUs at the minimum (load raises them up to maxCapacity). Its storage is billed only
 * for the pages it changes from its source, which no file says: not counted, with its price.
 */
function cloneLines(config: EnvironmentConfig, hours: number, per: string, prices: RegionPrices, notCounted: string[]): CostLine[] {
  const engine = config.service.database?.engine;
  if (!engine || !isCloneEngine(engine)) return [];
  const size = cloneSize(config);
  const storage = prices.aurora?.storageGbMonth;
  notCounted.push(`clone storage: billed only for the pages the clone changes from its source (copy-on-write), not known before it runs${storage === undefined ? '; no Aurora storage price in the table for this region' : `, at ${rate(storage)}/GB-month`}`);
  if ('minCapacity' in size) {
    const acuHour = prices.aurora?.acuHour;
    if (acuHour === undefined) {
      notCounted.push(`clone Serverless v2 (${engine}): ${round(hours * size.minCapacity, 1)} ACU-hours ${per} at its minimum, no ACU price in the table for this region`);
      return [];
    }
    const note = size.minCapacity === 0 ? ' (0 ACUs: paused when idle; billed for the ACUs it runs at)' : ` (its minimum; load raises it up to ${size.maxCapacity})`;
    return [{ item: `Aurora Serverless v2 clone (${engine})`, quantity: `${size.minCapacity} ACU × ${round(hours, 1)} h${note}`, price: `${rate(acuHour)}/ACU-h`, usd: cents(size.minCapacity * hours * acuHour) }];
  }
  const perHour = prices.aurora?.instanceHour?.[engine]?.[size.instanceClass];
  if (perHour === undefined) {
    notCounted.push(`clone instance ${size.instanceClass} (${engine}): ${round(hours, 1)} instance-hours ${per}, no price in the table for this region`);
    return [];
  }
  return [{ item: `Aurora clone instance (${size.instanceClass}, ${engine})`, quantity: `1 instance × ${round(hours, 1)} h`, price: `${rate(perHour)}/h`, usd: cents(hours * perHour) }];
}

const sum = (lines: readonly CostLine[]) => cents(lines.reduce((total, line) => total + line.usd, 0));

/** The estimate of one staging stack, from its environment file. Undefined when the table has no prices for its region. */
export function estimateCost(stack: string, config: EnvironmentConfig): CostEstimate | undefined {
  const prices = PRICE_TABLE.regions[config.region];
  if (!prices) return undefined;
  const notCounted: string[] = [];
  const task = config.taskDefinition;
  const arm64 = task.cpuArchitecture === 'ARM64';
  const running: Running = {
    vcpu: task.cpu / 1024,
    gb: task.memory / 1024,
    architecture: task.cpuArchitecture,
    tasks: config.service.desiredCount,
    strategy: capacityStrategy(config.service.capacity),
    schedule: config.service.schedule,
  };
  const awake = awakeHours(running.schedule, 'service.schedule');
  const hoursPerMonth = (awake.perWeek * COST_ASSUMPTIONS.hoursPerMonth) / 168;
  const taskHours = running.tasks * hoursPerMonth;
  const lines = [
    ...fargateLines(running, taskHours, prices, notCounted),
    ...logLines(taskHours, config.logs.retentionInDays, prices, notCounted),
    ...(config.pipeline ? buildLine('staging builds a month', COST_ASSUMPTIONS.buildsPerMonth, arm64, config.pipeline.computeType, prices, notCounted) : []),
    ...(stagingClones(config) ? cloneLines(config, hoursPerMonth, 'a month', prices, notCounted) : []),
  ];

  let previewDay: CostEstimate['previewDay'];
  if (config.previews) {
    const previews = config.previews;
    const preview: Running = {
      vcpu: (previews.cpu ?? task.cpu) / 1024,
      gb: (previews.memory ?? task.memory) / 1024,
      architecture: task.cpuArchitecture,
      tasks: previews.desiredCount,
      strategy: capacityStrategy(previewCapacity(config)),
      schedule: previewSchedule(config),
    };
    const previewAwake = awakeHours(preview.schedule, previews.schedule ? 'previews.schedule' : "staging's service.schedule");
    const perDay = previewAwake.perWeek / 7;
    const previewTaskHours = preview.tasks * perDay;
    const dayLines = [
      ...fargateLines(preview, previewTaskHours, prices, notCounted),
      ...logLines(previewTaskHours, previews.logRetentionInDays, prices, notCounted),
      ...buildLine("a preview's builds a day", COST_ASSUMPTIONS.previewBuildsPerDay, arm64, KIT.pipeline.computeType, prices, notCounted),
      ...(previewsClone(config) ? cloneLines(config, perDay, 'a preview-day', prices, notCounted) : []),
    ];
    previewDay = { hours: { perDay, note: previewAwake.note }, lines: dayLines, total: sum(dayLines) };
  }
  return {
    stack,
    region: config.region,
    hours: { perMonth: hoursPerMonth, note: awake.note },
    lines,
    total: sum(lines),
    previewDay,
    notCounted: [...new Set(notCounted)],
  };
}

const table = (lines: readonly CostLine[], total: number, per: string) =>
  [
    '| Item | Quantity | Price | ' + per + ' |',
    '|---|---|---|---:|',
    ...lines.map((line) => `| ${line.item} | ${line.quantity} | ${line.price} | ${money(line.usd)} |`),
    `| **Total** | | | **${money(total)}** |`,
  ].join('\n');

/** `cost.md` of a stack. */
export function costMarkdown(stack: string, config: EnvironmentConfig): string {
  const estimate = estimateCost(stack, config);
  const header = `# Cost estimate: stack "${stack}" (${config.region})\n\n`;
  const source = `Prices: ${PRICE_TABLE.currency}, list prices read ${PRICE_TABLE.read} from ${PRICE_TABLE.source}.`;
  if (!estimate) {
    return `${header}No estimate: the price table (src/aws/prices.ts) has no prices for ${config.region}. It has ${Object.keys(PRICE_TABLE.regions).join(', ')}.\n\n${source}\n`;
  }
  const parts = [
    header.trimEnd(),
    `An estimate of what this stack adds per month (${COST_ASSUMPTIONS.hoursPerMonth} hours), not a quote. ${source}`,
    'Left out: data transfer, the shared production ALB (its LCUs, and rules beyond its free ones), Route 53 queries, ECR storage, Secrets Manager and SSM calls, and the free tiers.',
    `**Hours:** ${estimate.hours.note} → ${round(estimate.hours.perMonth, 1)} h a month (× ${COST_ASSUMPTIONS.hoursPerMonth}/168).`,
    table(estimate.lines, estimate.total, 'Per month'),
  ];
  if (estimate.previewDay) {
    parts.push(
      '## Per preview-day',
      `One pull request's preview, open for a day. **Hours:** ${estimate.previewDay.hours.note} → ${round(estimate.previewDay.hours.perDay, 2)} h a day on average (a week's hours / 7).`,
      table(estimate.previewDay.lines, estimate.previewDay.total, 'Per day'),
    );
  }
  if (estimate.notCounted.length > 0) parts.push('## Not counted', estimate.notCounted.map((item) => `- ${item}`).join('\n'));
  parts.push(
    '## Assumptions',
    [
      `- Logs: ${COST_ASSUMPTIONS.logGbPerTaskHour} GB per task-hour; stored volume = a month's ingestion × retention days / ${round(DAYS_PER_MONTH, 2)}.`,
      `- Builds: ${COST_ASSUMPTIONS.buildMinutes} minutes each; ${COST_ASSUMPTIONS.buildsPerMonth} staging builds a month, ${COST_ASSUMPTIONS.previewBuildsPerDay} a day per open preview.`,
      '- Each line is rounded to cents; the total adds the rounded lines.',
      ...(stagingClones(config) || previewsClone(config)
        ? [
            `- A clone runs while the service is awake: EventBridge Scheduler stops it at sleep and starts it at wake, and a stopped clone bills storage only. AWS starts a cluster that has been stopped for ${CLONE_LIMITS.stoppedDaysAtMost} days (Aurora User Guide, "Stopping and starting an Amazon Aurora DB cluster"); the next sleep stops it again, so working hours that wake at least once a week never meet that, and longer sleeps pay the instance hours from the seventh day to the next sleep.`,
            '- A clone\'s storage is billed only for the pages it changes from production (copy-on-write); its backups (one day kept) and I/O (Aurora Standard) are left out.',
          ]
        : []),
    ].join('\n'),
  );
  return `${parts.join('\n\n')}\n`;
}

/** A warning for `npm run review` once the price table is over a year old, else undefined. */
export function priceTableWarning(today = new Date()): string | undefined {
  const age = priceTableAgeDays(today);
  return age > 365 ? `warning: the price table of cost.md was read ${PRICE_TABLE.read} (${age} days ago); refresh src/aws/prices.ts from the AWS Price List` : undefined;
}
