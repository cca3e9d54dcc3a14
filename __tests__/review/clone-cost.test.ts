import { environmentSchema } from '../../src/environment/schema';
import { costMarkdown, estimateCost } from '../../src/review/cost';
import { HOURS, PREVIEWS } from '../support/bad-input-cases';
import { fixtureJson, setPath } from '../support/environments';

/** cost.md of a clone (issue 27): its instance hours (or ACU-hours) under the schedule, its storage named but not counted. Figures by hand. */

const CLONE = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', access: 'clone', clone: { mask: 'db/mask.sql' } };

/** The stg fixture with a clone, changed at dotted paths, as the schema resolves it. */
function config(set: Record<string, unknown>) {
  const json = setPath(fixtureJson('stg'), 'service.database', structuredClone(CLONE));
  for (const [dotted, value] of Object.entries(set)) setPath(json, dotted, structuredClone(value));
  return environmentSchema.parse(json);
}
const line = (lines: readonly { item: string }[], item: string) => lines.find((entry) => entry.item === item);

describe('cost.md with a copy-on-write clone', () => {
  test('GIVEN a db.t4g.medium clone in Tokyo, always on WHEN estimated THEN 730 instance-hours at $0.113', () => {
    // WHEN
    const estimate = estimateCost('stg', config({}))!;
    // THEN 730 × $0.113 = 82.49
    expect(line(estimate.lines, 'Aurora clone instance (db.t4g.medium, aurora-postgresql)')).toEqual({ item: 'Aurora clone instance (db.t4g.medium, aurora-postgresql)', quantity: '1 instance × 730 h', price: '$0.113/h', usd: 82.49 });
  });

  test('GIVEN working hours, weekdays 08:00-21:00 WHEN estimated THEN the clone\'s hours are the service\'s: 282.44 h a month', () => {
    // WHEN
    const estimate = estimateCost('stg', config({ 'service.schedule': HOURS }))!;
    // THEN 65 h × 730 / 168 = 282.44 h × $0.113 = 31.9158
    expect(line(estimate.lines, 'Aurora clone instance (db.t4g.medium, aurora-postgresql)')).toMatchObject({ quantity: '1 instance × 282.4 h', usd: 31.92 });
  });

  test('GIVEN the clone\'s storage WHEN estimated THEN it is named as billed only for changed pages, and not counted', () => {
    const tokyo = estimateCost('stg', config({}))!;
    const virginia = estimateCost('stg', config({ region: 'us-east-1', 'service.database.clone.maxCapacity': 4 }))!;
    expect(tokyo.notCounted).toContain('clone storage: billed only for the pages the clone changes from its source (copy-on-write), not known before it runs; no Aurora storage price in the table for this region');
    expect(virginia.notCounted).toContain('clone storage: billed only for the pages the clone changes from its source (copy-on-write), not known before it runs, at $0.1/GB-month');
  });

  test('GIVEN Serverless v2 up to 4 ACUs in us-east-1 WHEN estimated THEN its minimum, 0.5 ACU, for 730 h at $0.12', () => {
    // WHEN
    const estimate = estimateCost('stg', config({ region: 'us-east-1', 'service.database.clone.maxCapacity': 4 }))!;
    // THEN 0.5 × 730 × $0.12 = 43.80
    expect(line(estimate.lines, 'Aurora Serverless v2 clone (aurora-postgresql)')).toEqual({ item: 'Aurora Serverless v2 clone (aurora-postgresql)', quantity: '0.5 ACU × 730 h (its minimum; load raises it up to 4)', price: '$0.12/ACU-h', usd: 43.8 });
  });

  test('GIVEN Serverless v2 from 0 ACUs WHEN estimated THEN nothing while paused', () => {
    const estimate = estimateCost('stg', config({ region: 'us-east-1', 'service.database.clone.minCapacity': 0, 'service.database.clone.maxCapacity': 2 }))!;
    expect(line(estimate.lines, 'Aurora Serverless v2 clone (aurora-postgresql)')).toMatchObject({ usd: 0, quantity: expect.stringContaining('paused when idle') });
  });

  test('GIVEN a class or engine the table has no price for WHEN estimated THEN the hours are named, not counted', () => {
    const mysql = estimateCost('stg', config({ 'service.database.engine': 'aurora-mysql', 'service.schedule': HOURS }))!;
    expect(mysql.lines.map((entry) => entry.item)).not.toContain('Aurora clone instance (db.t4g.medium, aurora-mysql)');
    expect(mysql.notCounted).toContain('clone instance db.t4g.medium (aurora-mysql): 282.4 instance-hours a month, no price in the table for this region');
  });

  test('GIVEN each preview a clone, with staging\'s hours WHEN estimated THEN a preview-day has its clone\'s 9.29 h', () => {
    // WHEN
    const estimate = estimateCost('stg', config({ ...structuredClone(PREVIEWS), 'service.database.access': 'read-only', 'service.database.user': 'staging_reader', 'service.database.iamAuth': true, 'previews.database': { access: 'clone' }, 'service.schedule': HOURS }))!;
    // THEN 65 / 7 = 9.2857 h × $0.113 = 1.0493; staging, read-only, has no clone line
    expect(line(estimate.previewDay!.lines, 'Aurora clone instance (db.t4g.medium, aurora-postgresql)')).toMatchObject({ quantity: '1 instance × 9.3 h', usd: 1.05 });
    expect(line(estimate.lines, 'Aurora clone instance (db.t4g.medium, aurora-postgresql)')).toBeUndefined();
  });

  test('GIVEN a clone WHEN cost.md is written THEN it says the clone sleeps with the service, what AWS\'s seven-day start costs, and that storage is billed for changed pages only', () => {
    const markdown = costMarkdown('stg', config({ 'service.schedule': HOURS }));
    expect(markdown).toContain('| Aurora clone instance (db.t4g.medium, aurora-postgresql) | 1 instance × 282.4 h | $0.113/h | $31.92 |');
    expect(markdown).toContain('AWS starts a cluster that has been stopped for 7 days');
    expect(markdown).toContain('billed only for the pages it changes from production (copy-on-write)');
  });

  test('GIVEN no clone WHEN cost.md is written THEN no clone line or note', () => {
    const json = fixtureJson('stg');
    const markdown = costMarkdown('stg', environmentSchema.parse(json));
    expect(markdown).not.toMatch(/clone/i);
  });
});
