import { App, Fn, Lazy, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { renderStack } from '../src/stack/cdktf-adapter';
import { synthesize } from '../src/synth/synth';
import { FIXTURE_ENVIRONMENTS_DIR, PROJECT_ROOT, TEAM_FIXTURES_DIR } from './support/paths';

/**
 * `renderStack` (src/stack/cdktf-adapter.ts) leaves out cdktf's second resolve of the whole stack: its JSON
 * must stay cdktf's own, key for key and in order, for every stack the kit builds and for a stack whose
 * own overrides hold a token (the one thing that pass could still resolve).
 */

/** cdktf 0.21's own rendering of a stack, the one `renderStack` stands in for. */
const cdktfRendering = (stack: TerraformStack) => TerraformStack.prototype.toTerraform.call(stack);

/** The same JSON, key for key and in order, and the same objects (no key left holding undefined). */
function expectCdktfRendering(rendered: unknown, stack: TerraformStack): void {
  const own = cdktfRendering(stack);
  expect(JSON.stringify(rendered)).toBe(JSON.stringify(own));
  expect(rendered).toStrictEqual(own);
}

/** A bare stack with a bucket, and an output inside a construct. */
function probeStack() {
  const stack = new TerraformStack(new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'stg-adapter-')) }), 'probe');
  new AwsProvider(stack, 'aws', { region: 'ap-northeast-1' });
  const bucket = new S3Bucket(stack, 'bucket', { bucketPrefix: 'probe' });
  new TerraformOutput(new Construct(stack, 'nested'), 'arn', { value: bucket.arn });
  return { stack, bucket };
}

function stacksOf(environmentsDir: string, previews?: { numbers: number[] }): TerraformStack[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-adapter-'));
  const errors: string[] = [];
  const result = synthesize({ environmentsDir, outdir, previews, info: () => undefined, warn: () => undefined, error: (line) => errors.push(line) });
  if (result.exitCode !== 0) throw new Error(errors.join('\n'));
  return result.stacks;
}

describe('renderStack: cdktf’s JSON, without its second pass over the whole', () => {
  test.each<[string, string, { numbers: number[] } | undefined]>([
    ['the examples, with two previews of stg (an S3 backend: the stack’s own use_lockfile override)', path.join(PROJECT_ROOT, 'examples'), { numbers: [3, 7] }],
    ['the test fixtures', FIXTURE_ENVIRONMENTS_DIR, undefined],
    ['the team-like fixtures', TEAM_FIXTURES_DIR, undefined],
  ])('GIVEN %s WHEN each stack is rendered THEN its JSON is cdktf’s own', (_name, environmentsDir, previews) => {
    // GIVEN / WHEN
    const stacks = stacksOf(environmentsDir, previews);
    // THEN
    expect(stacks.length).toBeGreaterThan(1);
    for (const stack of stacks) expectCdktfRendering(stack.toTerraform(), stack);
  });

  test('GIVEN a stack whose own overrides hold tokens, and an output inside a construct WHEN rendered THEN the tokens are resolved and the JSON is cdktf’s own', () => {
    // GIVEN
    const { stack, bucket } = probeStack();
    stack.addOverride('locals.bucket_id', bucket.id);
    stack.addOverride('locals.joined', Fn.join('-', ['a', bucket.bucket]));
    // WHEN
    const rendered = renderStack(stack);
    // THEN
    expect(rendered.locals).toEqual({ bucket_id: '${aws_s3_bucket.bucket.id}', joined: '${join("-", ["a", aws_s3_bucket.bucket.bucket])}' });
    expect(rendered['//'].metadata.overrides).toEqual({ stack: ['locals'] });
    expectCdktfRendering(rendered, stack);
  });

  test('GIVEN an override of undefined WHEN rendered THEN the key is gone, as cdktf deletes it', () => {
    // GIVEN a block one override sets and another unsets
    const { stack } = probeStack();
    stack.addOverride('locals.kept', 'yes');
    stack.addOverride('locals.gone', 'set');
    stack.addOverride('locals.gone', undefined);
    // WHEN
    const rendered = renderStack(stack);
    // THEN
    expect(rendered.locals).toStrictEqual({ kept: 'yes' });
    expectCdktfRendering(rendered, stack);
  });

  test('GIVEN an override that is a token for a whole block WHEN rendered THEN it replaces the block the elements made, as in cdktf, instead of merging into it', () => {
    // GIVEN the provider block, replaced by a lazy value
    const { stack } = probeStack();
    stack.addOverride('provider', Lazy.anyValue({ produce: () => ({ aws: [{ region: 'us-east-1' }] }) }));
    // WHEN
    const rendered = renderStack(stack);
    // THEN
    expect(rendered.provider).toStrictEqual({ aws: [{ region: 'us-east-1' }] });
    expectCdktfRendering(rendered, stack);
  });
});
