import { headRefPattern } from '../../src/aws/codebuild';

describe('CodeBuild webhook HEAD_REF filter for exactly one branch', () => {
  test.each<[string, string]>([
    ['main', '^refs/heads/main$'],
    ['feature/login', '^refs/heads/feature/login$'],
    ['release-1.0', '^refs/heads/release-1\\.0$'],
    ['a+b*c?', '^refs/heads/a\\+b\\*c\\?$'],
    ['(x)[y]{z}|^$', '^refs/heads/\\(x\\)\\[y\\]\\{z\\}\\|\\^\\$$'],
  ])('%s → %s', (branch, pattern) => {
    expect(headRefPattern(branch)).toBe(pattern);
  });

  test.each<[string, string, boolean]>([
    ['the branch itself', 'refs/heads/release-1.0', true],
    ['a dot taken literally', 'refs/heads/release-1x0', false],
    ['a longer branch', 'refs/heads/release-1.0-rc', false],
    ['a tag of that name', 'refs/tags/release-1.0', false],
  ])('the pattern for release-1.0 matches %s: %s → %s', (_, ref, matches) => {
    expect(new RegExp(headRefPattern('release-1.0')).test(ref)).toBe(matches);
  });
});
