import { DOCKER_TAG, parseEcrImage, splitImage } from '../../src/aws/ecr';

const REPO = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/app';
const DIGEST = `@sha256:${'0123456789abcdef'.repeat(4)}`;

describe('splitImage: <registry>/<repository>[:tag][@digest] → repository URL and tag', () => {
  test.each<[string, string, { repositoryUrl: string; tag?: string }]>([
    ['no tag', REPO, { repositoryUrl: REPO }],
    ['a tag', `${REPO}:v1.2`, { repositoryUrl: REPO, tag: 'v1.2' }],
    ['a tag and a digest (the digest dropped)', `${REPO}:v1${DIGEST}`, { repositoryUrl: REPO, tag: 'v1' }],
    ['a digest and no tag', `${REPO}${DIGEST}`, { repositoryUrl: REPO }],
    ['a registry port, no tag', 'localhost:5000/app', { repositoryUrl: 'localhost:5000/app' }],
    ['a registry port and a tag', 'localhost:5000/app:v1', { repositoryUrl: 'localhost:5000/app', tag: 'v1' }],
    ['a colon just before the last slash is not a tag', 'registry:/app', { repositoryUrl: 'registry:/app' }],
    ['no registry, a tag', 'nginx:1.27', { repositoryUrl: 'nginx', tag: '1.27' }],
    ['a one-character name and tag', 'a:b', { repositoryUrl: 'a', tag: 'b' }],
    ['an empty tag', `${REPO}:`, { repositoryUrl: REPO, tag: '' }],
  ])('%s: %s', (_, image, expected) => {
    // WHEN / THEN (toStrictEqual: no `tag` key when there is no tag)
    expect(splitImage(image)).toStrictEqual(expected);
  });

  test.each<[string, string, { repositoryUrl: string; tag?: string }]>([
    ['a digest of 63 hex digits is not one', `${REPO}:v1@sha256:${'a'.repeat(63)}`, { repositoryUrl: REPO, tag: `v1@sha256:${'a'.repeat(63)}` }],
    ['a digest with upper-case hex is not one', `${REPO}@sha256:${'A'.repeat(64)}`, { repositoryUrl: `${REPO}@sha256`, tag: 'A'.repeat(64) }],
    ['a digest followed by more text is not at the end', `${REPO}${DIGEST}x`, { repositoryUrl: `${REPO}@sha256`, tag: `${DIGEST.slice('@sha256:'.length)}x` }],
  ])('only a final @sha256: with 64 lower-case hex digits is a digest: %s', (_, image, expected) => {
    expect(splitImage(image)).toStrictEqual(expected);
  });
});

describe('parseEcrImage: an image in a private ECR repository', () => {
  test('an image with a tag, split into its parts', () => {
    // GIVEN / WHEN
    const parsed = parseEcrImage(`${REPO}:v1`);
    // THEN
    expect(parsed).toStrictEqual({ registry: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com', account: '123456789012', region: 'ap-northeast-1', repository: 'app', tag: 'v1' });
  });

  test('an image with no tag has tag undefined', () => {
    expect(parseEcrImage('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/team/app')).toStrictEqual({
      registry: '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn',
      account: '123456789012',
      region: 'cn-north-1',
      repository: 'team/app',
      tag: undefined,
    });
  });

  test('an image with a digest keeps its tag', () => {
    expect(parseEcrImage(`${REPO}:v1${DIGEST}`)?.tag).toBe('v1');
  });

  test.each<[string, string]>([
    ['a Docker Hub image', 'nginx:1.27'],
    ['an 11-digit account', '12345678901.dkr.ecr.ap-northeast-1.amazonaws.com/app:v1'],
    ['a tag starting with "."', `${REPO}:.v1`],
    ['a tag starting with "-"', `${REPO}:-v1`],
    ['an empty tag', `${REPO}:`],
    ['a tag of 129 characters', `${REPO}:${'a'.repeat(129)}`],
  ])('not an ECR image: %s', (_, image) => {
    expect(parseEcrImage(image)).toBeUndefined();
  });

  test('a tag of 128 characters, the limit, is accepted', () => {
    expect(parseEcrImage(`${REPO}:${'a'.repeat(128)}`)?.tag).toBe('a'.repeat(128));
  });
});

describe('Docker tag grammar: up to 128 of [\\w.-], starting with a letter, digit or "_"', () => {
  test.each<[string, boolean]>([
    ['_v1', true],
    ['1.0-rc', true],
    ['.v1', false],
    ['a'.repeat(128), true],
    ['a'.repeat(129), false],
  ])('%s → %s', (tag, valid) => {
    expect(DOCKER_TAG.test(tag)).toBe(valid);
  });
});
