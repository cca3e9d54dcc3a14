import { imageTagOf, readStatus, StatusReport } from '../../src/operations/status';
import { describeAccess, formatDuration, formatStatus, formatStatusJson, formatTime } from '../../src/operations/status-format';
import { awsError, exampleTarget, fakeClients } from '../support/operations';

const ACCOUNT = '123456789012';
const REPO = `${ACCOUNT}.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server`;
const TD = (revision: number, family = 'stg-server') => `arn:aws:ecs:ap-northeast-1:${ACCOUNT}:task-definition/${family}:${revision}`;
const TASK = (id: string) => `arn:aws:ecs:ap-northeast-1:${ACCOUNT}:task/stg_ecs_cluster/${id}`;
const TARGET_GROUP = `arn:aws:elasticloadbalancing:ap-northeast-1:${ACCOUNT}:targetgroup/stg-server-target/0123456789abcdef`;
const NOW = new Date('2026-12-07T03:00:00Z');

const RUNNING_ID = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
const STOPPED_ID = 'ffffeeeeddddccccbbbbaaaa99998888';

function task(id: string, revision: number, extra: Record<string, unknown>) {
  return {
    taskArn: TASK(id),
    taskDefinitionArn: TD(revision),
    group: 'service:stg-server',
    attachments: [{ type: 'ElasticNetworkInterface', details: [{ name: 'privateIPv4Address', value: extra.ip }] }],
    ...extra,
  };
}

/** A service mid-deploy: :3 rolling out with two failed tasks, :2 still serving. */
function answers(overrides: Record<string, unknown> = {}) {
  return {
    'ECS DescribeServices': {
      services: [{
        serviceName: 'stg-server',
        status: 'ACTIVE',
        desiredCount: 1,
        runningCount: 1,
        pendingCount: 1,
        taskDefinition: TD(3),
        launchType: 'FARGATE',
        loadBalancers: [{ targetGroupArn: TARGET_GROUP, containerName: 'stg-server', containerPort: 1323 }],
        tags: [{ key: 'team', value: 'api' }],
        deployments: [
          { id: 'ecs-svc/3', status: 'PRIMARY', taskDefinition: TD(3), rolloutState: 'IN_PROGRESS', rolloutStateReason: 'ECS deployment ecs-svc/3 in progress.', desiredCount: 1, runningCount: 0, pendingCount: 1, failedTasks: 2, createdAt: new Date('2026-12-07T02:50:00Z') },
          { id: 'ecs-svc/2', status: 'ACTIVE', taskDefinition: TD(2), rolloutState: 'COMPLETED', desiredCount: 1, runningCount: 1, pendingCount: 0, failedTasks: 0, createdAt: new Date('2026-12-06T01:00:00Z') },
        ],
        events: [{ createdAt: new Date('2026-12-07T02:58:00Z'), message: '(service stg-server) has started 1 tasks: (task x).' }],
      }],
      failures: [],
    },
    'ECS DescribeTaskDefinition': (input: { taskDefinition: string }) => ({
      taskDefinition: { taskDefinitionArn: input.taskDefinition, containerDefinitions: [{ name: 'stg-server', image: `${REPO}:stg.${input.taskDefinition.endsWith(':3') ? 300 : 200}` }] },
    }),
    'ECS ListTasks': (input: { desiredStatus: string }) => ({ taskArns: input.desiredStatus === 'RUNNING' ? [TASK(RUNNING_ID)] : [TASK(STOPPED_ID)] }),
    'ECS DescribeTasks': (input: { tasks: string[] }) => ({
      tasks: input.tasks.map((arn) => (arn.endsWith(RUNNING_ID)
        ? task(RUNNING_ID, 2, { ip: '10.0.0.5', lastStatus: 'RUNNING', healthStatus: 'HEALTHY', startedAt: new Date('2026-12-06T01:02:00Z') })
        : task(STOPPED_ID, 3, { ip: '10.0.0.7', lastStatus: 'STOPPED', stopCode: 'TaskFailedToStart', stoppedReason: 'Essential container in task exited', stoppedAt: new Date('2026-12-07T02:55:00Z'), containers: [{ name: 'stg-server', exitCode: 1, reason: 'panic: DB_HOST is not set' }] }))),
    }),
    'Elastic Load Balancing v2 DescribeTargetHealth': {
      TargetHealthDescriptions: [
        { Target: { Id: '10.0.0.5', Port: 1323 }, TargetHealth: { State: 'healthy' } },
        { Target: { Id: '10.0.0.99', Port: 1323 }, TargetHealth: { State: 'draining', Reason: 'Target.DeregistrationInProgress', Description: 'Target deregistration is in progress' } },
      ],
    },
    'Elastic Load Balancing v2 DescribeListeners': { Listeners: [{ Protocol: 'HTTP', Port: 80 }] },
    'CodeBuild ListBuildsForProject': { ids: ['stg-server-build:2', 'stg-server-build:1'] },
    'CodeBuild BatchGetBuilds': {
      builds: [
        { id: 'stg-server-build:1', buildStatus: 'SUCCEEDED', startTime: new Date('2026-12-06T00:50:00Z'), endTime: new Date('2026-12-06T00:55:00Z') },
        { id: 'stg-server-build:2', buildStatus: 'FAILED', currentPhase: 'COMPLETED', resolvedSourceVersion: '0123abc', startTime: new Date('2026-12-07T02:45:00Z'), endTime: new Date('2026-12-07T02:59:30Z') },
      ],
    },
    ...overrides,
  };
}

describe('npm run status: the report read from AWS', () => {
  test('a rollout in progress: deployments with their revision and image tag, the task with its target health by IP, the stopped task’s reason, the URL from the listener, the last build', async () => {
    // GIVEN the stg example mid-deploy
    const { clients } = fakeClients(answers());
    // WHEN
    const report = await readStatus(clients, exampleTarget('stg'), NOW);
    const text = formatStatus(report);
    // THEN each part is there
    expect(text.split('\n')).toEqual([
      'stg: examples/stg.json, ap-northeast-1, account 123456789012, at 2026-12-07 03:00 UTC',
      'url          http://stg-api.example.com (HTTP listener, port 80)',
      'access       only from 203.0.113.0/24, 198.51.100.10/32',
      'service      stg-server in stg_ecs_cluster: ACTIVE, 1 running / 1 desired / 1 pending, on stg-server:3 (FARGATE)',
      'deployments  PRIMARY  IN_PROGRESS  stg-server:3  image stg.300  0/1 running  2 failed  since 2026-12-07 02:50 UTC',
      '             ACTIVE   COMPLETED    stg-server:2  image stg.200  1/1 running  0 failed  since 2026-12-06 01:00 UTC',
      `tasks        ${RUNNING_ID}  RUNNING  HEALTHY  10.0.0.5  stg-server:2  started 2026-12-06 01:02 UTC  target healthy`,
      'targets      10.0.0.99:1323  target draining (Target.DeregistrationInProgress: Target deregistration is in progress), no running task of the service has this IP',
      `stopped      ${STOPPED_ID}  stg-server:3  2026-12-07 02:55 UTC (5m ago)  TaskFailedToStart: Essential container in task exited (stg-server exit 1 panic: DB_HOST is not set)`,
      'last build   stg-server-build:2  FAILED  started 2026-12-07 02:45 UTC (15m ago), took 14m 30s  source 0123abc',
      'events       2026-12-07 02:58 UTC  (service stg-server) has started 1 tasks: (task x).',
      '',
    ]);
  });

  test('--json is one document with the same parts', async () => {
    const { clients } = fakeClients(answers());
    const report = JSON.parse(formatStatusJson(await readStatus(clients, exampleTarget('stg'), NOW))) as StatusReport;
    expect(report.service).toMatchObject({ name: 'stg-server', desired: 1, running: 1, pending: 1, taskDefinition: { family: 'stg-server', revision: 3 }, tags: { team: 'api' } });
    expect(report.deployments).toEqual([
      expect.objectContaining({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', failedTasks: 2, imageTag: 'stg.300', taskDefinition: { arn: TD(3), family: 'stg-server', revision: 3 } }),
      expect.objectContaining({ status: 'ACTIVE', imageTag: 'stg.200' }),
    ]);
    expect(report.targets).toEqual([expect.objectContaining({ id: '10.0.0.5', state: 'healthy', taskId: RUNNING_ID }), expect.objectContaining({ id: '10.0.0.99', state: 'draining' })]);
    expect((report.targets as readonly { taskId?: string }[])[1].taskId).toBeUndefined();
    expect(report.url).toEqual({ url: 'http://stg-api.example.com', protocol: 'HTTP', port: 80 });
    expect(report.lastBuild).toMatchObject({ id: 'stg-server-build:2', status: 'FAILED' });
    expect(report.access).toEqual([{ kind: 'sourceIps', cidrs: ['203.0.113.0/24', '198.51.100.10/32'] }]);
  });

  test('a part it cannot read is one line in its place, and the rest is shown', async () => {
    // GIVEN a role that may not read target health, listeners or builds
    const denied = (call: string) => awsError('AccessDeniedException', `User: arn:aws:sts::${ACCOUNT}:assumed-role/oncall/me is not authorized to perform: ${call}`);
    const { clients } = fakeClients(answers({
      'Elastic Load Balancing v2 DescribeTargetHealth': denied('elasticloadbalancing:DescribeTargetHealth'),
      'Elastic Load Balancing v2 DescribeListeners': awsError('ListenerNotFound', 'One or more listeners not found'),
      'CodeBuild ListBuildsForProject': denied('codebuild:ListBuildsForProject'),
    }));
    // WHEN
    const report = await readStatus(clients, exampleTarget('stg'), NOW);
    const text = formatStatus(report);
    // THEN
    expect(text).toContain('url          https://stg-api.example.com (the listener was not read, so the scheme is a guess: Elastic Load Balancing v2 DescribeListeners: ListenerNotFound: One or more listeners not found)');
    expect(text).toContain(`targets      not read: Elastic Load Balancing v2 DescribeTargetHealth: AccessDeniedException: User: arn:aws:sts::${ACCOUNT}:assumed-role/oncall/me is not authorized to perform: elasticloadbalancing:DescribeTargetHealth`);
    expect(text).toContain('target ?');
    expect(text).toContain('last build   not read: CodeBuild ListBuildsForProject: AccessDeniedException');
    expect(text).toContain('deployments  PRIMARY  IN_PROGRESS');
    expect(JSON.parse(formatStatusJson(report)).targets).toEqual({ error: expect.stringContaining('AccessDeniedException') });
  });

  test('working hours: the scheduled state, the next change, and a wake by hand', async () => {
    // GIVEN weekday hours, asked on Saturday, with the target woken by hand (npm run wake)
    const target = exampleTarget('stg', (config) => (config.service.schedule = { timezone: 'Asia/Tokyo', wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)' }));
    const { clients, calls } = fakeClients(answers({ 'Application Auto Scaling DescribeScalableTargets': { ScalableTargets: [{ MinCapacity: 1, MaxCapacity: 1 }] } }));
    // WHEN
    const text = formatStatus(await readStatus(clients, target, new Date('2026-12-12T03:00:00Z')));
    // THEN
    expect(text).toContain('hours        asleep by the schedule since 2026-12-11 21:00 Asia/Tokyo; wakes at 2026-12-14 08:00 Asia/Tokyo, in 1d 20h; but woken by hand: capacity 1 until the next sleep');
    expect(text).toContain('             wake cron(0 8 ? * MON-FRI *), sleep cron(0 21 ? * MON-FRI *), Asia/Tokyo');
    expect(calls.find((call) => call.name === 'Application Auto Scaling DescribeScalableTargets')?.input).toEqual({ ServiceNamespace: 'ecs', ResourceIds: ['service/stg_ecs_cluster/stg-server'], ScalableDimension: 'ecs:service:DesiredCount' });
  });

  test('a preview: its own names, its time left from its state object (what the reaper reads), its own builds', async () => {
    // GIVEN PR 12 of the stg example, last deployed a day ago, its builds among others
    const { clients, calls } = fakeClients(answers({
      'S3 HeadObject': (input: { Key: string }) => (input.Key.endsWith('.tfstate') ? { LastModified: new Date('2026-12-06T03:00:00Z') } : awsError('NotFound', 'UnknownError', 404)),
      'CodeBuild BatchGetBuilds': {
        builds: [
          { id: 'stg-server-build-previews:9', buildStatus: 'SUCCEEDED', sourceVersion: 'pr/40', startTime: new Date('2026-12-07T02:00:00Z') },
          { id: 'stg-server-build-previews:8', buildStatus: 'SUCCEEDED', sourceVersion: 'pr/12', startTime: new Date('2026-12-06T02:55:00Z'), endTime: new Date('2026-12-06T03:00:00Z') },
        ],
      },
    }));
    // WHEN
    const report = await readStatus(clients, exampleTarget('stg-pr-12'), NOW);
    const text = formatStatus(report);
    // THEN
    expect(calls.find((call) => call.name === 'ECS DescribeServices')?.input).toEqual({ cluster: 'stg_ecs_cluster', services: ['stg-server-pr-12'], include: ['TAGS'] });
    expect(calls.filter((call) => call.name === 'S3 HeadObject').map((call) => call.input)).toEqual([
      { Bucket: 'example-terraform-state', Key: 'previews/stg/pr-12.tfstate' },
      { Bucket: 'example-terraform-state', Key: 'previews/stg/pr-12.closed' },
    ]);
    expect(calls.find((call) => call.name === 'CodeBuild ListBuildsForProject')?.input).toEqual({ projectName: 'stg-server-build-previews', sortOrder: 'DESCENDING' });
    expect(text).toContain('url          http://pr-12.stg-api.example.com');
    expect(text).toContain('preview      PR 12: 2d left of 3 day(s) (last deploy 2026-12-06 03:00 UTC, destroyed without a deploy after 2026-12-09 03:00 UTC)');
    expect(text).toContain('last build   stg-server-build-previews:8  SUCCEEDED');
  });

  test.each([
    ['the cluster is missing', { 'ECS DescribeServices': awsError('ClusterNotFoundException', 'Cluster not found.') }, 'stg is not deployed: no cluster stg_ecs_cluster (ap-northeast-1); deploy it with npm run deploy -- stg'],
    ['the service is missing', { 'ECS DescribeServices': { services: [], failures: [{ reason: 'MISSING' }] } }, 'stg is not deployed: no service stg-server in cluster stg_ecs_cluster (ap-northeast-1); deploy it with npm run deploy -- stg'],
    ['the service was deleted', { 'ECS DescribeServices': { services: [{ serviceName: 'stg-server', status: 'INACTIVE' }] } }, 'stg is not deployed: service stg-server in cluster stg_ecs_cluster was deleted (ap-northeast-1); deploy it with npm run deploy -- stg'],
    ['the credentials are another account’s', { 'STS GetCallerIdentity': { Account: '210987654321' } }, 'the AWS credentials are for account 210987654321, but examples/stg.json names account 123456789012: set AWS_PROFILE to that account\'s profile'],
    ['DescribeServices is refused', { 'ECS DescribeServices': awsError('AccessDeniedException', 'not authorized to perform: ecs:DescribeServices\non resource') }, 'ECS DescribeServices: AccessDeniedException: not authorized to perform: ecs:DescribeServices'],
  ])('one line, no report, when %s', async (_, overrides, message) => {
    const { clients } = fakeClients(answers(overrides));
    await expect(readStatus(clients, exampleTarget('stg'), NOW)).rejects.toThrow(new Error(message));
  });

  test('a preview never deployed says what deploys it', async () => {
    const { clients } = fakeClients(answers({ 'ECS DescribeServices': { services: [], failures: [{ reason: 'MISSING' }] } }));
    await expect(readStatus(clients, exampleTarget('stg-pr-7'), NOW)).rejects.toThrow(
      'stg-pr-7 is not deployed: no service stg-server-pr-7 in cluster stg_ecs_cluster (ap-northeast-1); the previews build applies it when pull request 7 is opened or pushed to',
    );
  });
});

describe('the words of the report', () => {
  test.each([
    [0, '0s'], [45, '45s'], [60, '1m'], [61, '1m 1s'], [3600 + 12 * 60 + 5, '1h 12m'], [2 * 86400 + 3 * 3600 + 59, '2d 3h'], [86400 + 59, '1d'],
  ])('formatDuration(%d) is %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });

  test('formatTime: UTC, or in the schedule’s time zone', () => {
    expect(formatTime('2026-12-07T12:00:00Z')).toBe('2026-12-07 12:00 UTC');
    expect(formatTime('2026-12-07T12:00:00Z', 'Asia/Tokyo')).toBe('2026-12-07 21:00 Asia/Tokyo');
    expect(formatTime(undefined)).toBe('?');
  });

  test('describeAccess: every restriction, joined, as they all apply', () => {
    expect(describeAccess([{ kind: 'public' }])).toBe('anyone (access.public: true)');
    expect(describeAccess([
      { kind: 'sourceIps', cidrs: ['203.0.113.0/24'] },
      { kind: 'httpHeader', name: 'X-Staging-Key', valueFrom: '/staging/access-header' },
      { kind: 'oidc', issuer: 'https://login.example.com' },
    ])).toBe('only from 203.0.113.0/24, with the header X-Staging-Key (its value in /staging/access-header) and after an OpenID Connect login at https://login.example.com');
  });

  test('imageTagOf: the tag; a digest-pinned image by its digest; an untagged one is latest', () => {
    expect(imageTagOf(`${REPO}:stg.1733`)).toBe('stg.1733');
    expect(imageTagOf(`${REPO}@sha256:${'ab'.repeat(32)}`)).toBe('sha256:abababababab…');
    expect(imageTagOf(REPO)).toBe('latest');
  });
});
