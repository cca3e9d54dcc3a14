import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeWithEmulator, Emulator } from '../support/emulator';
import { articleHclForProductionAccount, forProductionAccount } from '../support/emulator/environments';
import { Scenario } from '../support/emulator/scenario';
import { EmulatorStack, ResourceDiff, withoutEmulatorGaps } from '../support/emulator/stack';
import { tempProject } from '../support/environments';
import { synthesizeFixtures } from '../support/stacks';
import { ARTICLE_ADDRESSES } from '../support/synth';

/**
 * Adoption with refresh (the write-up's HCL applied, then the synthesized article stack planned
 * against that state), and state on the emulator's S3 with a lock file (two applies at once).
 */

const ARTICLE_JSON = path.join('__tests__', 'fixtures', 'article', 'article.json');
const STG_JSON = path.join('examples', 'stg.json');

interface AdoptionResults extends Record<string, unknown> {
  articleApply: string;
  plan: ResourceDiff[];
}

interface BackendResults extends Record<string, unknown> {
  /** The two applies started at once, settled. */
  applies: PromiseSettledResult<string>[];
  /** Resource addresses in the state the backend holds after both. */
  stateAddresses: string[];
  /** Objects in the state bucket after both. */
  objects: string[];
  key: string;
  planAfter: ResourceDiff[];
}

function adoption(): Scenario<AdoptionResults> {
  return Scenario.start<AdoptionResults>('article adoption', async (record) => {
    const emulator = await Emulator.start();
    const dirs: EmulatorStack[] = [];
    try {
      const account = await emulator.createProductionAccount();
      // GIVEN the write-up's own HCL, applied: the state a team has today
      const hclDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-article-'));
      fs.writeFileSync(path.join(hclDir, 'main.tf'), articleHclForProductionAccount(account));
      const article = await EmulatorStack.create(hclDir, emulator.endpoint);
      dirs.push(article);
      record('articleApply', await article.apply());
      // WHEN the article's environment file is synthesized and planned against that state, with refresh
      const stackDir = synthesizeFixtures(tempProject({ article: forProductionAccount(ARTICLE_JSON, account) }).environmentsDir).article;
      const synthesized = await EmulatorStack.create(stackDir, emulator.endpoint, {
        extraFiles: { 'terraform.tfstate': fs.readFileSync(path.join(article.workdir.dir, 'terraform.tfstate'), 'utf8') },
      });
      dirs.push(synthesized);
      record('plan', await synthesized.plan());
    } finally {
      for (const dir of dirs) await dir.dispose();
      await emulator.stop();
    }
  });
}

function backend(): Scenario<BackendResults> {
  return Scenario.start<BackendResults>('S3 backend', async (record) => {
    const emulator = await Emulator.start();
    const stacks: EmulatorStack[] = [];
    try {
      const account = await emulator.createProductionAccount();
      // GIVEN stg with its state on S3, with Terraform's lock file
      const environment = { ...forProductionAccount(STG_JSON, account), backend: { bucket: account.stateBucket } };
      const stackDir = synthesizeFixtures(tempProject({ stg: environment }).environmentsDir).stg;
      const key = 'staging/stg.tfstate';
      record('key', key);
      // two working copies, as two CI jobs would have
      const [first, second] = await Promise.all([EmulatorStack.create(stackDir, emulator.endpoint, { s3Backend: true }), EmulatorStack.create(stackDir, emulator.endpoint, { s3Backend: true })]);
      stacks.push(first, second);
      // WHEN both apply at once, neither waiting for the lock
      record('applies', await Promise.allSettled([first.apply('-lock-timeout=0s'), second.apply('-lock-timeout=0s')]));
      record('stateAddresses', ((await first.state()).values?.root_module?.resources ?? []).map((resource: { address: string }) => resource.address).sort());
      record('objects', JSON.parse((await emulator.aws(['s3api', 'list-objects-v2', '--bucket', account.stateBucket, '--output', 'json'])) || '{}').Contents?.map((object: { Key: string }) => object.Key) ?? []);
      record('planAfter', await second.plan());
    } finally {
      for (const stack of stacks) await stack.dispose();
      await emulator.stop();
    }
  });
}

// The first test of a scenario waits for its whole run (minutes of Terraform, more beside the other suites).
jest.setTimeout(600000);

describeWithEmulator('adoption with refresh, and state on S3, against the AWS emulator', () => {
  let adopted: Scenario<AdoptionResults>;
  let s3: Scenario<BackendResults>;
  beforeAll(() => {
    adopted = adoption();
    s3 = backend();
  });
  afterAll(async () => {
    await Promise.all([adopted?.done, s3?.done]);
    process.stdout.write(`emulator scenarios, seconds per step:\n  ${adopted.name}: ${adopted.timings.join(', ')}\n  ${s3.name}: ${s3.timings.join(', ')}\n`);
  });

  test('the write-up’s HCL applies to the emulator: its seven resources', async () => {
    expect(await adopted.get('articleApply')).toMatch(/Apply complete! Resources: 7 added, 0 changed, 0 destroyed/);
  });

  test('the article stack, planned with refresh against that state: no change to any of the seven; the log group is the only create', async () => {
    const plan = withoutEmulatorGaps(await adopted.get('plan'));
    expect(plan.filter((diff) => ARTICLE_ADDRESSES.includes(diff.address))).toEqual([]);
    expect(plan.map((diff) => [diff.address, diff.actions.join('+')])).toEqual([['aws_cloudwatch_log_group.stg_server', 'create']]);
  });

  test('two applies at once: one applies, the other stops on the lock and changes nothing', async () => {
    const applies = await s3.get('applies');
    const outcomes = applies.map((result) => result.status).sort();
    expect(outcomes).toEqual(['fulfilled', 'rejected']);
    const rejected = applies.find((result): result is PromiseRejectedResult => result.status === 'rejected')!;
    expect(String(rejected.reason)).toMatch(/Error acquiring the state lock/);
  });

  test('the state is on S3 under the stack’s key, whole, and the lock file is gone', async () => {
    const [objects, key, addresses] = await Promise.all([s3.get('objects'), s3.get('key'), s3.get('stateAddresses')]);
    expect(objects).toEqual([key]);
    expect(addresses).toEqual(expect.arrayContaining(ARTICLE_ADDRESSES));
  });

  test('a plan from the other copy, reading that state, is empty but for the emulator’s differences', async () => {
    expect(withoutEmulatorGaps(await s3.get('planAfter'))).toEqual([]);
  });
});
