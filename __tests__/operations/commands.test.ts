import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScript } from '../support/operations';

/**
 * `npm run status|logs|rollback|exec|drift` with every bad input: one line on stderr, `error: …`, exit 1,
 * nothing on stdout, and no stack trace. The examples are named (STAGING_ENVIRONMENTS_DIR), so a team's
 * environments/ never changes what this sees. No AWS here: the emulator suite has the good paths.
 */

const STACKS = 'no stack "nope"; the stacks of examples/ are: preview, stg';
const usage = (command: string, rest: string) => `usage: npm run ${command} -- <stack>${rest}   (a staging stack, or a preview: <stack>-pr-<number>)`;
const USAGE = {
  status: usage('status', ' [--json]'),
  logs: usage('logs', ' [--since 10m] [--follow] [--task ID] [--container NAME]'),
  rollback: usage('rollback', ' [--to REVISION] [--timeout SECONDS]'),
  exec: usage('exec', ' [--container NAME] [--task ID] [-- COMMAND...]'),
  drift: usage('drift', ''),
};

/** No credentials anywhere the SDK's chain looks: no keys, no profile files, no instance metadata. */
function withoutCredentials(): NodeJS.ProcessEnv {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-home-'));
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, HOME: home, AWS_CONFIG_FILE: path.join(home, 'none'), AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'), AWS_EC2_METADATA_DISABLED: 'true', STAGING_ENVIRONMENTS_DIR: 'examples' };
}

const EXAMPLES = { ...process.env, STAGING_ENVIRONMENTS_DIR: 'examples' };

async function expectOneLine(command: keyof typeof USAGE, args: string[], message: string | RegExp, env: NodeJS.ProcessEnv = EXAMPLES): Promise<void> {
  const run = await runScript(command, args, { env });
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n').filter((line) => !line.startsWith('note: '));
  expect(lines).toHaveLength(1);
  if (typeof message === 'string') expect(lines[0]).toBe(`error: ${message}`);
  else expect(lines[0]).toMatch(message);
  expect(run.status).toBe(1);
}

describe('the day-2 commands: every bad input is one line, exit 1', () => {
  test.each(Object.keys(USAGE) as (keyof typeof USAGE)[])('%s without a stack prints its usage', async (command) => {
    await expectOneLine(command, [], USAGE[command]);
  });

  test.each(Object.keys(USAGE) as (keyof typeof USAGE)[])('%s of an unknown stack lists the stacks', async (command) => {
    await expectOneLine(command, ['nope'], STACKS);
  });

  test.each<[keyof typeof USAGE, string[], string]>([
    ['status', ['stg', '--yaml'], `${USAGE.status}: unknown option --yaml`],
    ['status', ['stg', 'preview'], USAGE.status],
    ['status', ['preview-pr-3'], 'examples/preview.json: previews: the environment has no previews section, so there is no preview-pr-3'],
    ['logs', ['stg', '--since', 'yesterday'], '--since yesterday: must be a duration like 30s, 10m, 1h, 2d or 1h30m, or a past time like 2026-12-07T10:00:00Z'],
    ['logs', ['stg', '--task', '../x'], '--task ../x: must be a task ID (from npm run status) or a task ARN'],
    ['logs', ['stg', '--since'], `${USAGE.logs}: --since needs a value`],
    ['rollback', ['stg', '--to', 'previous'], '--to previous: must be a whole number from 1 to 1000000'],
    ['rollback', ['stg', '--timeout', '0'], '--timeout 0: must be a whole number from 1 to 3600'],
    ['rollback', ['stg', '--', 'x'], USAGE.rollback],
    ['exec', ['stg', '--follow'], `${USAGE.exec}: unknown option --follow`],
    ['exec', ['stg-pr-12'], 'stg-pr-12: previews run without ECS Exec (no shell into a pull request\'s code next to production data)'],
  ])('%s %j', async (command, args, message) => {
    await expectOneLine(command, args, message);
  });

  test('drift of a stack never synthesized says to synthesize it', async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-out-'));
    await expectOneLine('drift', ['stg'], `${path.join(outdir, 'stacks', 'stg')} holds no synthesized stack: run npm run synth -- stg first`, { ...EXAMPLES, CDKTF_OUTDIR: outdir });
  });

  test.each<[keyof typeof USAGE, string[]]>([['status', ['stg']], ['logs', ['stg']], ['rollback', ['stg']], ['exec', ['stg']]])('%s without AWS credentials says so in one line', async (command, args) => {
    await expectOneLine(command, args, 'STS GetCallerIdentity: no AWS credentials: set AWS_PROFILE (and run aws sso login for an SSO profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Could not load credentials from any providers)', withoutCredentials());
  });

  test('an endpoint that does not answer is one line naming it', async () => {
    const env = { ...EXAMPLES, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };
    await expectOneLine('status', ['stg'], /^error: STS GetCallerIdentity: cannot reach AWS \(ECONNREFUSED at AWS_ENDPOINT_URL=http:\/\/127\.0\.0\.1:9\): check the network, the proxy or the endpoint$/, env);
  });
});
