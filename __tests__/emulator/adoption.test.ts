import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeWithEmulator, Emulator } from '../support/emulator';
import { articleHclForProductionAccount, forProductionAccount } from '../support/emulator/environments';
import { Scenario } from '../support/emulator/scenario';
import { EmulatorStack, ResourceDiff } from '../support/emulator/stack';
import { tempProject } from '../support/environments';
import { synthesizeFixtures } from '../support/stacks';
import { ARTICLE_ADDRESSES } from '../support/synth';

/**
 * Adoption with refresh: the write-up's HCL applied, then the synthesized article stack planned
 * against that state. (State on S3 with a lock file is the stg scenario's, examples.test.ts.)
 */

const ARTICLE_JSON = path.join('__tests__', 'fixtures', 'article', 'article.json');

interface AdoptionResults extends Record<string, unknown> {
  articleApply: string;
  plan: ResourceDiff[];
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

// The first test of a scenario waits for its whole run (minutes of Terraform, more beside the other suites).
jest.setTimeout(600000);

describeWithEmulator('adoption with refresh, against the AWS emulator', () => {
  let adopted: Scenario<AdoptionResults>;
  beforeAll(() => {
    adopted = adoption();
  });
  afterAll(async () => {
    await adopted?.done;
    process.stdout.write(`emulator scenario, seconds per step:\n  ${adopted.name}: ${adopted.seconds.toFixed(0)} s (${adopted.timings.join(', ')})\n`);
  });

  test('the write-up’s HCL applies to the emulator: its seven resources', async () => {
    expect(await adopted.get('articleApply')).toMatch(/Apply complete! Resources: 7 added, 0 changed, 0 destroyed/);
  });

  test('the article stack, planned with refresh against that state: no change to any of the seven; the log group is the only create', async () => {
    const plan = await adopted.get('plan');
    expect(plan.filter((diff) => ARTICLE_ADDRESSES.includes(diff.address))).toEqual([]);
    expect(plan.map((diff) => [diff.address, diff.actions.join('+')])).toEqual([['aws_cloudwatch_log_group.stg_server', 'create']]);
  });
});
