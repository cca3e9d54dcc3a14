import { callName, send } from '../../src/operations/clients';
import { parseArguments } from '../../src/operations/arguments';
import { AwsCallError, awsErrorLine } from '../../src/operations/errors';
import { splitStackName } from '../../src/operations/target';
import { awsError, exampleTarget } from '../support/operations';

describe('every AWS failure is one line naming the call', () => {
  test.each([
    ['a missing credential', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'ECS DescribeServices: no AWS credentials: set AWS_PROFILE (and run aws sso login for an SSO profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (Could not load credentials from any providers)'],
    ['an expired one', awsError('ExpiredTokenException', 'The security token included in the request is expired'), 'ECS DescribeServices: the AWS credentials have expired (ExpiredTokenException): run aws sso login, or get new keys'],
    ['a refused one', awsError('UnrecognizedClientException', 'The security token included in the request is invalid.'), 'ECS DescribeServices: AWS refused the credentials (UnrecognizedClientException: The security token included in the request is invalid.): check AWS_PROFILE and the account'],
    ['no network', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), /^ECS DescribeServices: cannot reach AWS \(ECONNREFUSED.*\): check the network, the proxy or the endpoint$/],
    ['an answer that is not the API’s (an HTML 500)', Object.assign(new SyntaxError('Unexpected token \'<\', "<!doctype "... is not valid JSON\n  Deserialization error: to see the raw response…'), { $metadata: { httpStatusCode: 500 } }), 'ECS DescribeServices: HTTP 500 with an answer that is not the API\'s (the endpoint does not implement this call?)'],
    ['any service error, its first line', awsError('InvalidParameterException', 'Invalid revision number.\nNumber: x'), 'ECS DescribeServices: InvalidParameterException: Invalid revision number.'],
  ])('%s', (_, error, message) => {
    const line = awsErrorLine('ECS DescribeServices', error);
    expect(line).toBeInstanceOf(AwsCallError);
    expect(line.message).toMatch(message);
    expect(line.message).not.toContain('\n');
  });

  test('send names the call from the client and the command', async () => {
    class DescribeServicesCommand {
      constructor(public readonly input: unknown) {}
    }
    const client = { config: { serviceId: 'ECS' }, send: async () => Promise.reject(awsError('ClusterNotFoundException', 'Cluster not found.')) };
    expect(callName(client, new DescribeServicesCommand({}))).toBe('ECS DescribeServices');
    await expect(send(client, new DescribeServicesCommand({}))).rejects.toMatchObject({ code: 'ClusterNotFoundException', message: 'ECS DescribeServices: ClusterNotFoundException: Cluster not found.' });
  });
});

describe('arguments and targets', () => {
  const USAGE = 'usage: x';
  test('flags, options in both spellings, and what follows --', () => {
    const args = parseArguments(['stg', '--since', '1h', '--task=abc', '--follow', '--', 'ls', '-la'], { flags: ['--follow'], options: ['--since', '--task'] }, USAGE);
    expect(args).toEqual({ positional: ['stg'], flags: new Set(['--follow']), options: { '--since': '1h', '--task': 'abc' }, rest: ['ls', '-la'] });
  });

  test.each([
    [['stg', '--nope'], 'usage: x: unknown option --nope'],
    [['stg', '--since'], 'usage: x: --since needs a value'],
    [['stg', '--since', '--follow'], 'usage: x: --since needs a value'],
    [['stg', '--since', '1h', '--since', '2h'], 'usage: x: --since is given twice'],
    [['stg', '--follow=yes'], 'usage: x: unknown option --follow=yes'],
  ])('%j is refused in one line', (argv, message) => {
    expect(() => parseArguments(argv, { flags: ['--follow'], options: ['--since'] }, USAGE)).toThrow(new Error(message));
  });

  test('a stack name: staging, or a preview <stack>-pr-<n>', () => {
    expect(splitStackName('stg')).toEqual({ environment: 'stg' });
    expect(splitStackName('stg-pr-12')).toEqual({ environment: 'stg', number: 12 });
    expect(splitStackName('my-pr-stack')).toEqual({ environment: 'my-pr-stack' });
  });

  test('a preview’s names are the preview stack’s', () => {
    expect(exampleTarget('stg-pr-12')).toMatchObject({
      stack: 'stg-pr-12', environment: 'stg', service: 'stg-server-pr-12', family: 'stg-server-pr-12', logGroup: 'stg-server/pr-12', targetGroup: 'pr-12-stg-server-target',
      host: 'pr-12.stg-api.example.com', execEnabled: false, buildProject: 'stg-server-build-previews',
      preview: { number: 12, ttlDays: 3, stateBucket: 'example-terraform-state', stateKey: 'previews/stg/pr-12.tfstate', closedKey: 'previews/stg/pr-12.closed' },
    });
    expect(exampleTarget('stg')).toMatchObject({ service: 'stg-server', cluster: 'stg_ecs_cluster', logStreamPrefix: 'ecs', account: '123456789012', waitTimeoutSeconds: 600, execEnabled: true });
  });

  test('a preview of a file without previews is one line', () => {
    const preview = exampleTarget('preview');
    expect(preview.preview).toBeUndefined();
    expect(() => exampleTarget('preview-pr-3')).toThrow('examples/preview.json: previews: the environment has no previews section, so there is no preview-pr-3');
  });
});
