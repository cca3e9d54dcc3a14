import { EcrLifecyclePolicy } from '../../src/constructs/ecr-lifecycle-policy';
import { synthScope } from '../support/synth';

function policyOf(synth: ReturnType<typeof synthScope>): any {
  return JSON.parse(synth.resource('aws_ecr_lifecycle_policy', 'stg-server-lifecycle_policy').policy);
}

describe('EcrLifecyclePolicy', () => {
  test('defaults reproduce the article, section 7, as valid JSON', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new EcrLifecyclePolicy(scope, 'EcrLifecyclePolicy', { repository: 'stg-server' });
    });

    // THEN the article's address and rule; parsing would fail on the article's `//` comment
    expect(synth.addresses()).toEqual(['aws_ecr_lifecycle_policy.stg-server-lifecycle_policy']);
    expect(synth.resource('aws_ecr_lifecycle_policy', 'stg-server-lifecycle_policy').repository).toBe('stg-server');
    expect(policyOf(synth)).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: '最新の1イメージを残す',
          selection: { tagStatus: 'tagged', tagPrefixList: ['stg'], countType: 'imageCountMoreThan', countNumber: 1 },
          action: { type: 'expire' },
        },
      ],
    });
  });

  test('without a description, the default states keepImages: the article’s text for 1, the same sentence for 2', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new EcrLifecyclePolicy(scope, 'EcrLifecyclePolicy', { repository: 'stg-server', keepImages: 2 });
    });
    // THEN
    const [rule] = policyOf(synth).rules;
    expect(rule.description).toBe('最新の2イメージを残す');
    expect(rule.selection.countNumber).toBe(2);
  });

  test('given values replace the defaults', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new EcrLifecyclePolicy(scope, 'EcrLifecyclePolicy', {
        repository: 'preview-server',
        tagPrefix: 'preview',
        keepImages: 3,
        description: 'keep the newest 3 images',
      });
    });

    // THEN
    const [rule] = policyOf(synth).rules;
    expect(rule.description).toBe('keep the newest 3 images');
    expect(rule.selection).toMatchObject({ tagPrefixList: ['preview'], countNumber: 3 });
  });
});
