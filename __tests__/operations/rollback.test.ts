import { rollback } from '../../src/operations/rollback';
import { Candidate, choosePrevious, chooseRevision, judgeRollout, pollDelay, ROLLOUT_MAX_DELAY_SECONDS } from '../../src/operations/rollback-plan';
import { awsError, exampleTarget, fakeClients } from '../support/operations';

const ACCOUNT = '123456789012';
const REPO = `${ACCOUNT}.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server`;
const TD = (revision: number, family = 'stg-server') => `arn:aws:ecs:ap-northeast-1:${ACCOUNT}:task-definition/${family}:${revision}`;
const DIGEST = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const name = (arn: string | undefined) => (arn ?? '?').split('/').pop()!;

const candidate = (revision: number, imageState: Candidate['imageState'], image = `${REPO}:stg.${revision}00`): Candidate => ({ revision, arn: TD(revision), image, imageState });

describe('choosePrevious: the newest earlier ACTIVE revision whose image is still in ECR', () => {
  test('skips revisions whose image expired, and those running the image that runs now', () => {
    // GIVEN :4 runs digest 4; :3's image is gone, :2 names the same mutable tag (digest 4), :1 has its own
    const choice = choosePrevious('stg-server', { revision: 4, digest: DIGEST(4) }, [
      candidate(3, { kind: 'missing' }),
      candidate(2, { kind: 'present', digest: DIGEST(4) }, `${REPO}:stg`),
      candidate(1, { kind: 'present', digest: DIGEST(1) }),
    ]);
    expect(choice).toEqual({ target: candidate(1, { kind: 'present', digest: DIGEST(1) }) });
  });

  test('an image outside ECR cannot be checked, and is taken', () => {
    expect(choosePrevious('stg-server', { revision: 2 }, [candidate(1, { kind: 'not-ecr' }, 'nginx:1.27')])).toEqual({ target: candidate(1, { kind: 'not-ecr' }, 'nginx:1.27') });
  });

  test('refuses, naming each revision it looked at and why, when none qualifies', () => {
    const choice = choosePrevious('stg-server', { revision: 3, digest: DIGEST(3) }, [candidate(2, { kind: 'missing' }), candidate(1, { kind: 'present', digest: DIGEST(3) }, `${REPO}:stg`)]);
    expect(choice).toEqual({
      refusal: `no earlier ACTIVE revision of stg-server runs another image that is still in ECR: :2 (${REPO}:stg.200 is no longer in ECR), :1 (${REPO}:stg is the image running now, sha256:333333333333…); to go back to an older build, run its CodeBuild build again or revert the change`,
    });
  });

  test('refuses when there is no earlier revision at all', () => {
    expect(choosePrevious('stg-server', { revision: 1 }, [])).toEqual({ refusal: 'no ACTIVE revision of stg-server before :1, so there is nothing to roll back to' });
  });
});

describe('chooseRevision: --to REVISION', () => {
  test.each([
    ['the current one', { ...candidate(2, { kind: 'present' }), status: 'ACTIVE' }, 'the service already runs stg-server:2'],
    ['deregistered', { ...candidate(1, { kind: 'present' }), status: 'INACTIVE' }, 'stg-server:1 is INACTIVE (deregistered): ECS starts no new task from it'],
    ['its image gone', { ...candidate(1, { kind: 'missing' }), status: 'ACTIVE' }, `stg-server:1 runs ${REPO}:stg.100, which is no longer in ECR (the lifecycle policy expired it, or it was deleted)`],
  ])('refused when %s', (_, wanted, refusal) => {
    expect(chooseRevision('stg-server', { revision: 2 }, wanted)).toEqual({ refusal });
  });

  test('taken otherwise, forward as well as back', () => {
    const wanted = { ...candidate(5, { kind: 'present', digest: DIGEST(5) }), status: 'ACTIVE' };
    expect(chooseRevision('stg-server', { revision: 2 }, wanted)).toEqual({ target: wanted });
  });
});

describe('judgeRollout: one DescribeServices answer, judged', () => {
  const primary = (extra: Record<string, unknown>) => ({ id: 'ecs-svc/9', status: 'PRIMARY', taskDefinition: TD(1), desiredCount: 1, runningCount: 1, failedTasks: 0, ...extra });
  test.each([
    ['COMPLETED and alone', [primary({ rolloutState: 'COMPLETED' })], { state: 'completed', summary: 'COMPLETED, 1/1 running, 0 failed' }],
    ['IN_PROGRESS beside the old one', [primary({ rolloutState: 'IN_PROGRESS', runningCount: 0 }), { status: 'ACTIVE', taskDefinition: TD(2) }], { state: 'waiting', summary: 'IN_PROGRESS, 0/1 running, 0 failed, 1 older deployment(s) draining' }],
    ['FAILED', [primary({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.', failedTasks: 3, runningCount: 0 })], { state: 'failed', reason: 'the rollout to stg-server:1 FAILED: ECS deployment circuit breaker: tasks failed to start. (0/1 running, 3 failed)' }],
    ['turned back by the circuit breaker: the PRIMARY is on another revision', [primary({ taskDefinition: TD(2), rolloutState: 'IN_PROGRESS', rolloutStateReason: 'ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/8.' })], {
      state: 'failed',
      reason: 'the PRIMARY deployment runs stg-server:2, not stg-server:1: the circuit breaker rolled the rollout back, or another deploy replaced it (ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/8.)',
    }],
    ['without a rollout state, steady once alone at the desired count', [primary({})], { state: 'completed', summary: 'steady, 1/1 running, 0 failed' }],
    ['no PRIMARY yet', [], { state: 'waiting', summary: 'no PRIMARY deployment yet' }],
  ])('%s', (_, deployments, verdict) => {
    expect(judgeRollout({ desiredCount: 1, deployments }, TD(1), name)).toEqual(verdict);
  });

  test('the delay doubles from 2 s and never passes its own maximum (not the SDK waiter’s 600 s)', () => {
    expect([0, 1, 2, 3, 4, 20, 100].map((attempt) => pollDelay(attempt, ROLLOUT_MAX_DELAY_SECONDS))).toEqual([2000, 4000, 8000, 15000, 15000, 15000, 15000]);
  });
});

describe('rollback against stand-in AWS', () => {
  /** The service on :3 (stg.300); :2 (stg.200) and :1 (stg, the same digest as :3) ACTIVE; a preview family beside it. */
  function world(options: { deployments?: (call: number) => unknown[]; images?: Record<string, string | undefined> } = {}) {
    const images: Record<string, string | undefined> = { 'stg.300': DIGEST(3), 'stg.200': DIGEST(2), stg: DIGEST(3), ...options.images };
    const image = (revision: number) => (revision === 1 ? `${REPO}:stg` : `${REPO}:stg.${revision}00`);
    let updatedTo: string | undefined;
    const service = (call: number) => ({
      serviceName: 'stg-server',
      status: 'ACTIVE',
      desiredCount: 1,
      taskDefinition: updatedTo ?? TD(3),
      deployments: options.deployments?.(call) ?? [{ id: 'ecs-svc/new', status: 'PRIMARY', taskDefinition: updatedTo ?? TD(3), rolloutState: call < 2 ? 'IN_PROGRESS' : 'COMPLETED', desiredCount: 1, runningCount: call < 2 ? 0 : 1 }],
    });
    return fakeClients({
      'ECS DescribeServices': (_: unknown, call: number) => ({ services: [service(call)] }),
      'ECS DescribeTaskDefinition': (input: { taskDefinition: string }) => {
        const revision = Number(input.taskDefinition.split(':').pop());
        if (!(revision >= 1 && revision <= 3)) return awsError('ClientException', 'Unable to describe task definition.');
        return { taskDefinition: { taskDefinitionArn: TD(revision), family: 'stg-server', revision, status: 'ACTIVE', containerDefinitions: [{ name: 'stg-server', image: image(revision) }] } };
      },
      'ECS ListTaskDefinitions': (input: { nextToken?: string }) => (input.nextToken
        ? { taskDefinitionArns: [TD(1)] }
        : { taskDefinitionArns: [TD(4, 'stg-server-pr-7'), TD(3), TD(2)], nextToken: 'more' }),
      'ECR DescribeImages': (input: { imageIds: { imageTag: string }[] }) => {
        const digest = images[input.imageIds[0].imageTag];
        return digest ? { imageDetails: [{ imageDigest: digest }] } : awsError('ImageNotFoundException', 'The image does not exist');
      },
      'ECS UpdateService': (input: { taskDefinition: string }) => {
        updatedTo = input.taskDefinition;
        return { service: service(0) };
      },
    });
  }

  const runtime = () => {
    let clock = 0;
    const sleeps: number[] = [];
    return { sleeps, runtime: { now: () => clock, sleep: async (ms: number) => void (sleeps.push(ms), (clock += ms)) } };
  };

  test('goes back to :2 (not the preview family’s :4, not :1 whose tag is the running image) and waits until its PRIMARY completes', async () => {
    const { clients, calls } = world();
    const { sleeps, runtime: clock } = runtime();
    const lines: string[] = [];
    // WHEN
    await rollback(clients, exampleTarget('stg'), {}, (line) => lines.push(line), clock);
    // THEN
    expect(calls.filter((call) => call.name === 'ECS UpdateService').map((call) => call.input)).toEqual([{ cluster: 'stg_ecs_cluster', service: 'stg-server', taskDefinition: TD(2) }]);
    expect(calls.find((call) => call.name === 'ECS ListTaskDefinitions')?.input).toEqual({ familyPrefix: 'stg-server', status: 'ACTIVE', sort: 'DESC', nextToken: undefined });
    expect(lines).toEqual([
      `stg: stg-server:3 (${REPO}:stg.300) → stg-server:2 (${REPO}:stg.200, sha256:222222222222…)`,
      'waiting for the rollout (at most 600 s, a look every 2–15 s)',
      '  0 s: IN_PROGRESS, 0/1 running, 0 failed',
      'stg: on stg-server:2, rollout COMPLETED, 1/1 running, 0 failed, after 6 s',
      'note: the next deploy moves the service to the family\'s newest revision again (stg-server:3 or later)',
    ]);
    expect(sleeps).toEqual([2000, 4000]);
  });

  test('--to 1 moves even to a revision whose tag is the image running now: the operator chose it', async () => {
    const { clients, calls } = world();
    await rollback(clients, exampleTarget('stg'), { to: 1 }, () => undefined, runtime().runtime);
    expect(calls.filter((call) => call.name === 'ECS UpdateService').map((call) => call.input.taskDefinition)).toEqual([TD(1)]);
  });

  test.each([
    [{ to: 3 }, 'refusing to roll back stg: the service already runs stg-server:3'],
    [{ to: 9 }, 'refusing to roll back stg: there is no revision stg-server:9 (ECS DescribeTaskDefinition: ClientException: Unable to describe task definition.)'],
  ])('--to %j refuses in one line and changes nothing', async (options, message) => {
    const { clients, calls } = world();
    await expect(rollback(clients, exampleTarget('stg'), options, () => undefined, runtime().runtime)).rejects.toThrow(message);
    expect(calls.some((call) => call.name === 'ECS UpdateService')).toBe(false);
  });

  test('refuses when the only earlier image left is the one running now', async () => {
    const { clients, calls } = world({ images: { 'stg.200': undefined } });
    await expect(rollback(clients, exampleTarget('stg'), {}, () => undefined, runtime().runtime)).rejects.toThrow(
      `refusing to roll back stg: no earlier ACTIVE revision of stg-server runs another image that is still in ECR: :2 (${REPO}:stg.200 is no longer in ECR), :1 (${REPO}:stg is the image running now, sha256:333333333333…)`,
    );
    expect(calls.some((call) => call.name === 'ECS UpdateService')).toBe(false);
  });

  test('fails when the rollout FAILED', async () => {
    const { clients } = world({ deployments: (call) => [{ status: 'PRIMARY', taskDefinition: TD(2), rolloutState: call < 1 ? 'IN_PROGRESS' : 'FAILED', rolloutStateReason: 'tasks failed to start', desiredCount: 1, runningCount: 0, failedTasks: 2 }] });
    await expect(rollback(clients, exampleTarget('stg'), {}, () => undefined, runtime().runtime)).rejects.toThrow(
      'rollback of stg failed after 2 s: the rollout to stg-server:2 FAILED: tasks failed to start (0/1 running, 2 failed)',
    );
  });

  test('fails when the circuit breaker turned it back to the revision it came from', async () => {
    const { clients } = world({
      deployments: (call) => (call < 2
        ? [{ status: 'PRIMARY', taskDefinition: TD(2), rolloutState: 'IN_PROGRESS', desiredCount: 1, runningCount: 0 }, { status: 'ACTIVE', taskDefinition: TD(3) }]
        : [{ status: 'PRIMARY', taskDefinition: TD(3), rolloutState: 'IN_PROGRESS', rolloutStateReason: 'ECS deployment circuit breaker: rolling back.', desiredCount: 1, runningCount: 1 }]),
    });
    await expect(rollback(clients, exampleTarget('stg'), {}, () => undefined, runtime().runtime)).rejects.toThrow(
      'rollback of stg failed after 6 s: the PRIMARY deployment runs stg-server:3, not stg-server:2: the circuit breaker rolled the rollout back, or another deploy replaced it (ECS deployment circuit breaker: rolling back.)',
    );
  });

  test('gives up at the timeout, with bounded delays, saying the service stays on the revision', async () => {
    const { clients } = world({ deployments: () => [{ status: 'PRIMARY', taskDefinition: TD(2), rolloutState: 'IN_PROGRESS', desiredCount: 1, runningCount: 0 }] });
    const { sleeps, runtime: clock } = runtime();
    await expect(rollback(clients, exampleTarget('stg'), { timeoutSeconds: 60 }, () => undefined, clock)).rejects.toThrow(
      'rollback of stg: the rollout to stg-server:2 did not complete within 60 s (IN_PROGRESS, 0/1 running, 0 failed); the service is on it and ECS goes on trying: npm run status -- stg',
    );
    expect(sleeps).toEqual([2000, 4000, 8000, 15000, 15000, 15000]);
    expect(Math.max(...sleeps)).toBe(ROLLOUT_MAX_DELAY_SECONDS * 1000);
  });
});
