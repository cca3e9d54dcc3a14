import { PRICE_TABLE } from '../../src/aws/prices';
import { environmentSchema } from '../../src/environment/schema';
import { costMarkdown, estimateCost, priceTableWarning } from '../../src/review/cost';
import { HOURS, PREVIEWS } from '../support/bad-input-cases';
import { fixtureJson, setPath } from '../support/environments';

/** The stg fixture changed at dotted paths, as the schema resolves it. */
function config(set: Record<string, unknown>) {
  const json = fixtureJson('stg');
  for (const [dotted, value] of Object.entries(set)) setPath(json, dotted, value);
  return environmentSchema.parse(json);
}

/** Item → USD of an estimate's lines. */
const byItem = (lines: readonly { item: string; usd: number }[]) => Object.fromEntries(lines.map((line) => [line.item, line.usd]));

describe('cost.md, checked against estimates computed by hand', () => {
  test('always on, on-demand, with a pipeline (us-east-1): 2 tasks of 1 vCPU and 2 GB', () => {
    // GIVEN 2 × 730 = 1460 task-hours
    const estimate = estimateCost('stg', config({ region: 'us-east-1', 'taskDefinition.cpu': 1024, 'taskDefinition.memory': 2048, 'service.desiredCount': 2 }))!;
    // THEN, by hand:
    expect(byItem(estimate.lines)).toEqual({
      'Fargate vCPU (on-demand, X86_64)': 59.1, // 1 vCPU × 1460 h × $0.04048 = 59.1008
      'Fargate memory (on-demand, X86_64)': 12.98, // 2 GB × 1460 h × $0.004445 = 12.9794
      'Log ingestion': 1.46, // 1460 h × 0.002 GB = 2.92 GB × $0.50
      'Log storage': 0.09, // 2.92 GB × 30 days / 30.4167 = 2.88 GB × $0.03 = 0.0864
      'CodeBuild (LINUX_CONTAINER, BUILD_GENERAL1_SMALL)': 1.8, // 60 builds × 6 min × $0.005
    });
    expect(estimate.total).toBe(75.43);
    expect(estimate.hours.perMonth).toBe(730);
    expect(estimate.notCounted).toEqual([]);
  });

  test('Fargate Spot during working hours (us-east-1, listed Spot prices): weekdays 08:00-21:00 in Tokyo', () => {
    // GIVEN 65 h a week × 730 / 168 = 282.44 h a month, one task of 0.25 vCPU and 0.5 GB, no pipeline
    const estimate = estimateCost('stg', config({ region: 'us-east-1', 'service.capacity': 'FARGATE_SPOT', 'service.schedule': HOURS, pipeline: undefined }))!;
    // THEN
    expect(estimate.hours.perMonth).toBeCloseTo(282.44, 2);
    expect(byItem(estimate.lines)).toEqual({
      'Fargate vCPU (Spot, X86_64)': 0.91, // 0.25 × 282.44 × $0.01288871 = 0.9101
      'Fargate memory (Spot, X86_64)': 0.2, // 0.5 × 282.44 × $0.00141527 = 0.1999
      'Log ingestion': 0.28, // 282.44 × 0.002 = 0.5649 GB × $0.50 = 0.2824
      'Log storage': 0.02, // 0.5649 × 30 / 30.4167 = 0.5571 GB × $0.03 = 0.0167
    });
    expect(estimate.total).toBe(1.41);
  });

  test('a strategy splits the tasks: the base on FARGATE, the rest by weight', () => {
    // GIVEN 3 tasks, base 1 on FARGATE, the other 2 on Spot: 730 on-demand and 1460 Spot task-hours
    const estimate = estimateCost('stg', config({ region: 'us-east-1', 'service.desiredCount': 3, 'service.capacity': { base: 1, spotWeight: 1 } }))!;
    // THEN
    const lines = Object.fromEntries(estimate.lines.map((line) => [line.item, line]));
    expect(lines['Fargate vCPU (on-demand, X86_64)'].quantity).toBe('0.25 vCPU × 730 task-h');
    expect(lines['Fargate vCPU (Spot, X86_64)'].quantity).toBe('0.25 vCPU × 1460 task-h');
    expect(lines['Fargate vCPU (Spot, X86_64)'].usd).toBe(4.7); // 0.25 × 1460 × $0.01288871 = 4.7044
  });

  test('where the table has no Spot or CodeBuild price, the estimate takes AWS\'s 70% and says what it did not count', () => {
    // GIVEN Tokyo: on-demand Fargate listed, Spot and CodeBuild not
    const estimate = estimateCost('stg', config({ 'service.capacity': 'FARGATE_SPOT' }))!;
    // THEN 0.25 × 730 × ($0.05056 × 0.3 = $0.015168) = 2.768
    expect(byItem(estimate.lines)['Fargate vCPU (Spot, X86_64)']).toBe(2.77);
    expect(estimate.lines[0].price).toBe('$0.01517/vCPU-h (on-demand − 70%: no Spot price in the table)');
    expect(estimate.notCounted).toEqual(['CodeBuild LINUX_CONTAINER BUILD_GENERAL1_SMALL, staging builds a month: 360 build minutes, no price in the table for this region']);
  });

  test("without a CodeBuild price, staging's builds a month and a preview's builds a day are named apart", () => {
    // GIVEN Tokyo (no CodeBuild price in the table), with previews
    const estimate = estimateCost('stg', config({ ...structuredClone(PREVIEWS) }))!;
    // THEN 60 × 6 = 360 minutes a month; 2 × 6 = 12 minutes a preview-day
    expect(estimate.notCounted).toEqual([
      'CodeBuild LINUX_CONTAINER BUILD_GENERAL1_SMALL, staging builds a month: 360 build minutes, no price in the table for this region',
      "CodeBuild LINUX_CONTAINER BUILD_GENERAL1_SMALL, a preview's builds a day: 12 build minutes, no price in the table for this region",
    ]);
  });

  test("a preview-day: its own size on Spot by default, staging's hours", () => {
    // GIVEN previews of 0.5 vCPU and 1 GB, inheriting weekdays 08:00-21:00 (65 h / 7 = 9.29 h a day), us-east-1
    const estimate = estimateCost('stg', config({ region: 'us-east-1', ...structuredClone(PREVIEWS), 'previews.cpu': 512, 'previews.memory': 1024, 'service.schedule': HOURS }))!;
    // THEN
    expect(estimate.previewDay!.hours.perDay).toBeCloseTo(9.2857, 3);
    expect(byItem(estimate.previewDay!.lines)).toEqual({
      'Fargate vCPU (Spot, X86_64)': 0.06, // 0.5 × 9.2857 × $0.01288871 = 0.0598
      'Fargate memory (Spot, X86_64)': 0.01, // 1 × 9.2857 × $0.00141527 = 0.0131
      'Log ingestion': 0.01, // 9.2857 × 0.002 = 0.0186 GB × $0.50 = 0.0093
      'Log storage': 0, // 0.0186 × 3 days / 30.4167 × $0.03
      'CodeBuild (LINUX_CONTAINER, BUILD_GENERAL1_SMALL)': 0.06, // 2 builds × 6 min × $0.005
    });
    expect(estimate.previewDay!.total).toBe(0.14);
  });

  test('the markdown shows every line with its quantity and price, the hours, the total and what is left out', () => {
    // GIVEN / WHEN
    const markdown = costMarkdown('stg', config({ region: 'us-east-1', 'service.schedule': HOURS }));
    // THEN
    expect(markdown).toMatch(/^# Cost estimate: stack "stg" \(us-east-1\)/);
    expect(markdown).toContain('**Hours:** 65 h a week from service.schedule: wake cron(0 8 ? * MON-FRI *), sleep cron(0 21 ? * MON-FRI *), Asia/Tokyo → 282.4 h a month');
    expect(markdown).toContain('| Fargate vCPU (on-demand, X86_64) | 0.25 vCPU × 282.4 task-h | $0.04048/vCPU-h | $2.86 |');
    expect(markdown).toContain(`read ${PRICE_TABLE.read}`);
    expect(markdown).toMatch(/Left out: data transfer, the shared production ALB \(its LCUs/);
  });

  test('a region without prices gets a note, not an estimate', () => {
    // GIVEN / WHEN
    const markdown = costMarkdown('stg', config({ region: 'sa-east-1' }));
    // THEN
    expect(markdown).toContain('No estimate: the price table (src/aws/prices.ts) has no prices for sa-east-1.');
  });

  test('the review warns once the table is over a year old', () => {
    const read = new Date(`${PRICE_TABLE.read}T00:00:00Z`).getTime();
    const day = 86_400_000;
    expect(priceTableWarning(new Date(read + 365 * day))).toBeUndefined();
    expect(priceTableWarning(new Date(read + 366 * day))).toMatch(/^warning: the price table of cost\.md was read .* \(366 days ago\)/);
  });
});
