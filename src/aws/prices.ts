/**
 * AWS list prices (USD, on-demand, Linux) for the review's cost estimate (`cost.md`). A committed
 * table, not a live lookup: the review runs offline. `npm run review` warns once `read` is more than a
 * year old. A figure the sources did not give is left out, and the estimate says it is not counted.
 *
 * Sources, all copies of the AWS Price List API offer files or of the feeds the pricing pages load:
 * - Fargate: offer file AmazonECS, publicationDate 2026-07-07 (Tokyo, Singapore, Frankfurt, Ireland,
 *   N. Virginia) and 2026-09-11; https://aws.amazon.com/fargate/pricing/.
 * - Fargate Spot: the feed https://dftu77xade0tc.cloudfront.net/fargate-spot-prices.json, 2026-09-28.
 *   Spot prices move; where the table has none, the estimate takes AWS's stated "up to a 70% discount
 *   off the regular Fargate price" (https://aws.amazon.com/fargate/pricing/), so it is a lower bound.
 * - CloudWatch Logs: offer file AmazonCloudWatch, 2026-07-01 to 2026-08-12 (Standard log class).
 * - CodeBuild: offer file CodeBuild, us-east-1 published 2026-09-28 (general1.small, arm1.small);
 *   general1.medium 2026-10-05 (us-east-1, eu-west-1, ap-southeast-1); general1.large from
 *   third-party copies of the us-east-1 page only.
 * - Aurora (a clone's instance hours, ACU-hours and storage; Aurora Standard, on-demand), from
 *   third-party copies of https://aws.amazon.com/rds/aurora/pricing/ only, read 2026-12-07:
 *   ap-northeast-1 Aurora PostgreSQL db.t4g.medium $0.113/h and Serverless v2 $0.15/ACU-h
 *   (kenzo0107.github.io, "as of December 1, 2025"); us-east-1 Serverless v2 $0.12/ACU-h, storage
 *   $0.10/GB-month and I/O $0.20 per million requests (factualminds.com, June 2026, and a calculator
 *   page, which agree). The copies disagree on us-east-1's db.t4g.medium ($0.073 or $0.082–0.090), so
 *   it is left out; so is every class and Region no copy gave.
 */

/** Per vCPU-hour and per GB-hour of a Fargate task. */
export interface FargateRate {
  readonly vcpuHour: number;
  readonly gbHour: number;
}

export interface RegionPrices {
  readonly fargate: { readonly X86_64: FargateRate; readonly ARM64?: FargateRate };
  readonly fargateSpot?: { readonly X86_64?: FargateRate; readonly ARM64?: FargateRate };
  readonly logs: { readonly ingestedGb: number; readonly storedGbMonth?: number };
  /** Per build minute, by environment type and compute type. */
  readonly codebuildMinute: { readonly LINUX_CONTAINER?: Partial<Record<string, number>>; readonly ARM_CONTAINER?: Partial<Record<string, number>> };
  /** Aurora Standard, on-demand: per instance-hour by engine and class, per ACU-hour (Serverless v2), per GB-month of storage. */
  readonly aurora?: AuroraPrices;
}

export interface AuroraPrices {
  readonly instanceHour?: Partial<Record<'aurora-postgresql' | 'aurora-mysql', Partial<Record<string, number>>>>;
  readonly acuHour?: number;
  readonly storageGbMonth?: number;
}

export const PRICE_TABLE = {
  /** When the figures below were read from their sources (ISO date). */
  read: '2026-12-02',
  currency: 'USD',
  source: 'AWS Price List API offer files AmazonECS, AmazonCloudWatch and CodeBuild (published 2026-07-01 to 2026-10-05), the Fargate Spot price feed (2026-09-28) and, for Aurora, third-party copies of its pricing page; src/aws/prices.ts cites each',
  /** AWS: Fargate Spot runs "at up to a 70% discount off the regular Fargate price". */
  spotDiscountWhenUnlisted: 0.7,
  regions: {
    'us-east-1': {
      fargate: { X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 }, ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 } },
      fargateSpot: { X86_64: { vcpuHour: 0.01288871, gbHour: 0.00141527 }, ARM64: { vcpuHour: 0.01030969, gbHour: 0.00113349 } },
      logs: { ingestedGb: 0.5, storedGbMonth: 0.03 },
      codebuildMinute: { LINUX_CONTAINER: { BUILD_GENERAL1_SMALL: 0.005, BUILD_GENERAL1_MEDIUM: 0.01, BUILD_GENERAL1_LARGE: 0.02 }, ARM_CONTAINER: { BUILD_GENERAL1_SMALL: 0.0034 } },
      aurora: { acuHour: 0.12, storageGbMonth: 0.1 },
    },
    'eu-west-1': {
      fargate: { X86_64: { vcpuHour: 0.04048, gbHour: 0.004445 }, ARM64: { vcpuHour: 0.03238, gbHour: 0.00356 } },
      fargateSpot: { X86_64: { vcpuHour: 0.01224056, gbHour: 0.0013441 }, ARM64: { vcpuHour: 0.00979124, gbHour: 0.00107649 } },
      logs: { ingestedGb: 0.57, storedGbMonth: 0.03 },
      codebuildMinute: { LINUX_CONTAINER: { BUILD_GENERAL1_MEDIUM: 0.01 } },
    },
    'eu-central-1': {
      fargate: { X86_64: { vcpuHour: 0.04656, gbHour: 0.00511 }, ARM64: { vcpuHour: 0.03725, gbHour: 0.00409 } },
      logs: { ingestedGb: 0.63, storedGbMonth: 0.0324 },
      codebuildMinute: {},
    },
    'ap-northeast-1': {
      fargate: { X86_64: { vcpuHour: 0.05056, gbHour: 0.00553 }, ARM64: { vcpuHour: 0.04045, gbHour: 0.00442 } },
      logs: { ingestedGb: 0.76, storedGbMonth: 0.033 },
      codebuildMinute: {},
      aurora: { instanceHour: { 'aurora-postgresql': { 'db.t4g.medium': 0.113 } }, acuHour: 0.15 },
    },
    'ap-southeast-1': {
      fargate: { X86_64: { vcpuHour: 0.05056, gbHour: 0.00553 }, ARM64: { vcpuHour: 0.04045, gbHour: 0.00442 } },
      logs: { ingestedGb: 0.7, storedGbMonth: 0.03 },
      codebuildMinute: { LINUX_CONTAINER: { BUILD_GENERAL1_MEDIUM: 0.01 } },
    },
  } as Readonly<Record<string, RegionPrices>>,
} as const;

/** How old the table is on `today`, in days. */
export function priceTableAgeDays(today: Date, read: string = PRICE_TABLE.read): number {
  return Math.floor((today.getTime() - new Date(`${read}T00:00:00Z`).getTime()) / 86_400_000);
}
