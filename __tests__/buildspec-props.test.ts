import { repositoryArnOf, repositoryUrlOf } from '../src/stack/buildspec-props';

describe('repositoryArnOf: the ECR repository ARN the build role may push to', () => {
  test.each([
    ['a standard region', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server', 'arn:aws:ecr:ap-northeast-1:123456789012:repository/stg-server'],
    ['a China region (.amazonaws.com.cn)', '123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/stg-server', 'arn:aws-cn:ecr:cn-north-1:123456789012:repository/stg-server'],
    ['GovCloud', '123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/stg-server', 'arn:aws-us-gov:ecr:us-gov-west-1:123456789012:repository/stg-server'],
    ['a namespaced repository', '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/team/stg-server', 'arn:aws:ecr:ap-northeast-1:123456789012:repository/team/stg-server'],
  ])('%s', (_, url, arn) => {
    // GIVEN a repository URL
    // WHEN
    const result = repositoryArnOf(url);
    // THEN the partition, region, account and name come from the URL
    expect(result).toBe(arn);
  });

  test.each([
    ['Docker Hub', 'docker.io/library/golang'],
    ['GitHub Container Registry', 'ghcr.io/example/stg-server'],
    ['ECR Public', 'public.ecr.aws/example/stg-server'],
    ['an account ID that is not 12 digits', '12345.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server'],
  ])('%s: not ECR, throws', (_, url) => {
    // WHEN / THEN
    expect(() => repositoryArnOf(url)).toThrow(`not an ECR repository URL: ${url}`);
  });

  test('an image with a tag and a digest gives the repository, via repositoryUrlOf', () => {
    // GIVEN the task's image, tagged and pinned
    const image = `123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg@sha256:${'a'.repeat(64)}`;
    // WHEN
    const arn = repositoryArnOf(repositoryUrlOf(image, 'environments/stg.json'));
    // THEN
    expect(arn).toBe('arn:aws:ecr:ap-northeast-1:123456789012:repository/stg-server');
  });

  test('an image left to the plan-time lookup: the buildspec cannot name it, and the error says where', () => {
    // WHEN / THEN
    expect(() => repositoryUrlOf(undefined, 'environments/stg.json')).toThrow(/^environments\/stg\.json: taskDefinition\.container\.image: the buildspec needs the image URL written out/);
    expect(() => repositoryUrlOf('${data.aws_ecr_repository.stg.repository_url}:stg', 'environments/stg.json')).toThrow(/needs the image URL written out/);
  });
});
