import * as yaml from 'js-yaml';
import { CloneDatabase } from '../../src/constructs/clone-database';
import { MaskJobSecurityGroup } from '../../src/constructs/mask-job-security-group';
import { MaskingJob, MaskingJobProps } from '../../src/constructs/masking-job';
import { parseJson } from '../../src/guardrails/guardrail';
import { MASK_VARIABLES, MaskBuildspecProps, maskBuildspecObject, renderMaskBuildspec } from '../../src/pipeline/mask-buildspec';
import { workingHoursScript } from '../../src/pipeline/working-hours-now';
import { CLONE_PROPS, MASK_GROUP } from '../support/clone-stacks';
import { runGuardrails } from '../support/guardrails';
import { synthScope } from '../support/synth';

/**
 * MaskingJob (issue 27, "Masking, fail closed"): the CodeBuild project that masks the clone in the VPC,
 * its role scoped to the clone and the one service, and the buildspec it carries. Running that
 * buildspec on real servers is __tests__/database/masking.test.ts.
 */

const CONNECTION = 'arn:aws:codeconnections:ap-northeast-1:123456789012:connection/0123abcd-0123-4567-89ab-0123456789ab';
const TOKEN_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:github-token-AbCdEf';
const SERVICE_ARN = 'arn:aws:ecs:ap-northeast-1:123456789012:service/stg_ecs_cluster/stg-server';
const GITHUB = 'https://github.com/example/stg-server.git';
const CLUSTER_ARN = 'arn:aws:rds:ap-northeast-1:123456789012:cluster:prod-db-stg-clone';
const SECRET_ARN = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!cluster-0123abcd-AbCdEf';

/** A clone's mask target as literals (a stack without lookups), and as CloneDatabase gives it (references). */
const TARGET: MaskingJobProps['clone'] = {
  clusterIdentifier: 'prod-db-stg-clone',
  clusterArn: CLUSTER_ARN,
  endpoint: 'prod-db-stg-clone.cluster-abc.ap-northeast-1.rds.amazonaws.com',
  port: 5432,
  engine: 'aurora-postgresql',
  databaseName: 'app',
  masterUsername: 'postgres',
  secretArn: SECRET_ARN,
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-0123456789abcdef0', 'subnet-0123456789abcdef1'],
  securityGroupId: MASK_GROUP,
  clientSecurityGroupIds: ['sg-0aaaaaaaaaaaaaaaa'],
  maskFile: 'db/mask.sql',
  instanceIdentifier: 'prod-db-stg-clone-1',
};

const PROPS: MaskingJobProps = {
  projectName: 'prod-db-stg-clone-mask',
  clone: TARGET,
  region: 'ap-northeast-1',
  ecsClusterName: 'stg_ecs_cluster',
  serviceName: 'stg-server',
  serviceArn: SERVICE_ARN,
  desiredCount: 2,
  repository: GITHUB,
  connectionArn: CONNECTION,
};

const synthJob = (props: Partial<MaskingJobProps> = {}) => synthScope((scope) => new MaskingJob(scope, 'MaskingJob', { ...PROPS, ...props }));
const ADDRESS = 'database_clone_mask';

interface PolicyStatement {
  Sid: string;
  Action: string[];
  Resource: string[] | string;
  Condition?: Record<string, Record<string, unknown>>;
}
/** The policy's statements, read as the guardrails read them (the account is an interpolation with quotes of its own). */
const statementsOf = (synth: ReturnType<typeof synthJob>): PolicyStatement[] => parseJson(synth.resource('aws_iam_role_policy', ADDRESS).policy).Statement;

describe('MaskingJob', () => {
  test('GIVEN a masked clone WHEN synthesized THEN a CodeBuild project, its log group, its role and the role\'s policy, nothing else (no webhook: nothing pushes it)', () => {
    // WHEN
    const synth = synthJob();
    // THEN
    expect(synth.addresses().sort()).toEqual([
      `aws_cloudwatch_log_group.${ADDRESS}`,
      `aws_codebuild_project.${ADDRESS}`,
      `aws_iam_role.${ADDRESS}`,
      `aws_iam_role_policy.${ADDRESS}`,
    ]);
  });

  test('GIVEN a masked clone WHEN synthesized THEN the project runs in the VPC on the tasks\' subnets in the job\'s own group, unprivileged, from the application repository', () => {
    // WHEN
    const synth = synthJob();
    const project = synth.resource('aws_codebuild_project', ADDRESS);
    // THEN
    expect(project.vpc_config).toEqual({ vpc_id: TARGET.vpcId, subnets: TARGET.subnetIds, security_group_ids: [MASK_GROUP] });
    expect(project.environment).toMatchObject({ type: 'LINUX_CONTAINER', compute_type: 'BUILD_GENERAL1_SMALL', image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0', privileged_mode: false });
    expect(project.source).toMatchObject({ type: 'GITHUB', location: GITHUB, git_clone_depth: 1, auth: { type: 'CODECONNECTIONS', resource: CONNECTION } });
    expect(project.source_version).toBe('develop');
    expect(project.build_timeout).toBe(60);
    expect(project.service_role).toBe(`\${aws_iam_role.${ADDRESS}.arn}`);
    expect(project.logs_config.cloudwatch_logs).toEqual({ group_name: `\${aws_cloudwatch_log_group.${ADDRESS}.name}`, status: 'ENABLED' });
    expect(project.depends_on).toEqual([`aws_iam_role_policy.${ADDRESS}`]);
    expect(synth.resource('aws_cloudwatch_log_group', ADDRESS)).toMatchObject({ name: '/aws/codebuild/prod-db-stg-clone-mask', retention_in_days: 30 });
    expect(synth.resource('aws_iam_role', ADDRESS).name).toBe('prod-db-stg-clone-mask-codebuild');
  });

  test('GIVEN a masked clone WHEN synthesized THEN the project carries renderMaskBuildspec of the clone and the service, exactly', () => {
    // WHEN
    const project = synthJob().resource('aws_codebuild_project', ADDRESS);
    // THEN
    const expected: MaskBuildspecProps = {
      engine: 'aurora-postgresql', maskFile: 'db/mask.sql', clusterIdentifier: TARGET.clusterIdentifier, endpoint: TARGET.endpoint, port: 5432, databaseName: 'app',
      secretArn: SECRET_ARN, region: 'ap-northeast-1', ecsCluster: 'stg_ecs_cluster', ecsService: 'stg-server', desiredCount: 2,
    };
    expect(project.source.buildspec).toBe(renderMaskBuildspec(expected));
  });

  test('GIVEN a masked clone WHEN the role is read THEN it may read exactly the clone\'s secret, describe exactly the clone, describe and scale exactly the service, and write its own logs', () => {
    // WHEN
    const statements = statementsOf(synthJob());
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    // THEN
    expect(statements.map((s) => s.Sid)).toEqual(['Logs', 'CloneSecret', 'CloneCluster', 'Scale', 'VpcNetworkInterfaces', 'VpcNetworkInterfacePermission', 'Source']);
    expect(bySid.CloneSecret).toMatchObject({ Action: ['secretsmanager:GetSecretValue'], Resource: [SECRET_ARN] });
    expect(bySid.CloneCluster).toMatchObject({ Action: ['rds:DescribeDBClusters'], Resource: [CLUSTER_ARN] });
    expect(bySid.Scale).toMatchObject({ Action: ['ecs:DescribeServices', 'ecs:UpdateService'], Resource: [SERVICE_ARN] });
    expect(bySid.Logs).toMatchObject({ Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: [`\${aws_cloudwatch_log_group.${ADDRESS}.arn}:*`] });
    expect(bySid.Source).toMatchObject({ Action: ['codeconnections:GetConnection', 'codeconnections:GetConnectionToken', 'codeconnections:UseConnection'], Resource: [CONNECTION] });
    // no secret, RDS or ECS action anywhere else, and none on "*" but the EC2 calls that have no resource scope
    for (const statement of statements.filter((s) => s.Sid !== 'CloneSecret' && s.Sid !== 'CloneCluster' && s.Sid !== 'Scale')) {
      expect(statement.Action.filter((action) => /^(secretsmanager|rds|ecs):/.test(action))).toEqual([]);
    }
    expect(statements.filter((s) => s.Resource === '*').map((s) => s.Sid)).toEqual(['VpcNetworkInterfaces']);
    expect(bySid.VpcNetworkInterfaces.Action.every((action) => action.startsWith('ec2:'))).toBe(true);
  });

  test('GIVEN the clone\'s subnets WHEN the role is read THEN CodeBuild may attach network interfaces only in those subnets, for itself', () => {
    // WHEN
    const permission = statementsOf(synthJob()).find((s) => s.Sid === 'VpcNetworkInterfacePermission')!;
    // THEN
    expect(permission.Action).toEqual(['ec2:CreateNetworkInterfacePermission']);
    expect(permission.Resource).toEqual([expect.stringMatching(/^arn:aws:ec2:ap-northeast-1:\$\{element\(split\(":", "arn:aws:rds:[^"]+"\), 4\)\}:network-interface\/\*$/)]);
    expect(permission.Condition?.StringEquals['ec2:AuthorizedService']).toBe('codebuild.amazonaws.com');
    expect(permission.Condition?.StringEquals['ec2:Subnet']).toEqual(TARGET.subnetIds.map((subnet) => expect.stringMatching(new RegExp(`:subnet/${subnet}$`))));
  });

  test('GIVEN a token secret as the source credential WHEN synthesized THEN the role reads that secret for the source, and the source auth is the secret', () => {
    // WHEN
    const synth = synthJob({ connectionArn: undefined, tokenSecretArn: TOKEN_SECRET });
    // THEN
    expect(statementsOf(synth).find((s) => s.Sid === 'Source')).toMatchObject({ Action: ['secretsmanager:GetSecretValue'], Resource: [TOKEN_SECRET] });
    expect(synth.resource('aws_codebuild_project', ADDRESS).source.auth).toEqual({ type: 'SECRETS_MANAGER', resource: TOKEN_SECRET });
  });

  test('GIVEN the optional props WHEN synthesized THEN branch, timeout, compute, image, retention and tags are the given ones', () => {
    // WHEN
    const synth = synthJob({ branch: 'main', buildTimeoutMinutes: 90, computeType: 'BUILD_GENERAL1_MEDIUM', image: 'aws/codebuild/amazonlinux-x86_64-standard:6.0', logRetentionInDays: 7, tags: { team: 'api' } });
    const project = synth.resource('aws_codebuild_project', ADDRESS);
    // THEN
    expect(project).toMatchObject({ source_version: 'main', build_timeout: 90, tags: { team: 'api' } });
    expect(project.environment).toMatchObject({ compute_type: 'BUILD_GENERAL1_MEDIUM', image: 'aws/codebuild/amazonlinux-x86_64-standard:6.0' });
    expect(synth.resource('aws_cloudwatch_log_group', ADDRESS)).toMatchObject({ retention_in_days: 7, tags: { team: 'api' } });
    expect(synth.resource('aws_iam_role', ADDRESS).tags).toEqual({ team: 'api' });
  });

  test('GIVEN CloneDatabase and MaskJobSecurityGroup WHEN the job takes the clone\'s maskTarget THEN its buildspec names the clone\'s endpoint and managed secret, and it runs in the group the clone admits', () => {
    // WHEN
    const synth = synthScope((scope) => {
      const group = new MaskJobSecurityGroup(scope, 'MaskGroup', { name: 'prod-db-stg-clone-mask', vpcId: CLONE_PROPS.vpcId });
      const clone = new CloneDatabase(scope, 'Clone', { ...CLONE_PROPS, maskSecurityGroupId: group.id });
      const job = new MaskingJob(scope, 'MaskingJob', { ...PROPS, clone: clone.maskTarget });
      // the group the clone admits, passed through (a token: compared as the same string, resolved below)
      expect(job.securityGroupId).toBe(clone.maskTarget.securityGroupId);
    });
    // THEN
    const project = synth.resource('aws_codebuild_project', ADDRESS);
    const spec = yaml.safeLoad(project.source.buildspec) as { env: { variables: Record<string, string> } };
    expect(spec.env.variables[MASK_VARIABLES.endpoint]).toBe('${aws_rds_cluster.database_clone.endpoint}');
    expect(spec.env.variables[MASK_VARIABLES.secretArn]).toBe('${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}');
    expect(spec.env.variables[MASK_VARIABLES.clusterIdentifier]).toBe('${aws_rds_cluster.database_clone.cluster_identifier}');
    expect(project.vpc_config.security_group_ids).toEqual([`\${aws_security_group.${ADDRESS}.id}`]);
    expect(synth.resource('aws_vpc_security_group_ingress_rule', 'database_clone_from_mask').referenced_security_group_id).toBe(`\${aws_security_group.${ADDRESS}.id}`);
    const policy = parseJson(synth.resource('aws_iam_role_policy', ADDRESS).policy) as { Statement: PolicyStatement[] };
    expect(policy.Statement.find((s) => s.Sid === 'CloneSecret')?.Resource).toEqual(['${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}']);
    expect(policy.Statement.find((s) => s.Sid === 'CloneCluster')?.Resource).toEqual(['${aws_rds_cluster.database_clone.arn}']);
  });

  test('GIVEN the job beside its clone WHEN the staging guardrails run THEN none finds anything in the job\'s resources', () => {
    // WHEN
    const findings = runGuardrails((stack) => {
      const group = new MaskJobSecurityGroup(stack, 'MaskGroup', { name: 'prod-db-stg-clone-mask', vpcId: CLONE_PROPS.vpcId });
      const clone = new CloneDatabase(stack, 'Clone', { ...CLONE_PROPS, maskSecurityGroupId: group.id });
      new MaskingJob(stack, 'MaskingJob', { ...PROPS, clone: clone.maskTarget });
    });
    // THEN (the job's resources share the group's address, whose findings are the group's construct's to answer)
    expect(findings.filter((f) => f.address.endsWith(`.${ADDRESS}`) && !f.address.startsWith('aws_security_group.')).map((f) => `${f.ruleId} ${f.address}: ${f.detail}`)).toEqual([]);
  });

  describe('with working hours', () => {
    const HOURS = { wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)', timezone: 'Asia/Tokyo' };
    const TARGET_ARN = 'arn:aws:application-autoscaling:ap-northeast-1:123456789012:scalable-target/0ec91234567890abcdef1234567890abcdef';

    test('GIVEN working hours and the scalable target WHEN the role is read THEN it may register exactly that target again (to resume it), and nothing else of Application Auto Scaling', () => {
      // WHEN
      const statements = statementsOf(synthJob({ workingHours: HOURS, scalableTargetArn: TARGET_ARN }));
      // THEN
      expect(statements.map((st) => st.Sid)).toEqual(['Logs', 'CloneSecret', 'CloneCluster', 'Scale', 'ResumeWorkingHours', 'VpcNetworkInterfaces', 'VpcNetworkInterfacePermission', 'Source']);
      expect(statements.find((st) => st.Sid === 'ResumeWorkingHours')).toMatchObject({ Action: ['application-autoscaling:RegisterScalableTarget'], Resource: [TARGET_ARN] });
      expect(statements.flatMap((st) => st.Action).filter((action) => action.startsWith('application-autoscaling:'))).toEqual(['application-autoscaling:RegisterScalableTarget']);
      // without working hours, none
      expect(statementsOf(synthJob()).flatMap((st) => st.Action).filter((action) => action.startsWith('application-autoscaling:'))).toEqual([]);
    });

    test('GIVEN working hours WHEN synthesized THEN the project carries the buildspec that resumes them, and says so', () => {
      // WHEN
      const project = synthJob({ workingHours: HOURS, scalableTargetArn: TARGET_ARN }).resource('aws_codebuild_project', ADDRESS);
      // THEN
      expect(project.source.buildspec).toBe(renderMaskBuildspec({
        engine: 'aurora-postgresql', maskFile: 'db/mask.sql', clusterIdentifier: TARGET.clusterIdentifier, endpoint: TARGET.endpoint, port: 5432, databaseName: 'app',
        secretArn: SECRET_ARN, region: 'ap-northeast-1', ecsCluster: 'stg_ecs_cluster', ecsService: 'stg-server', desiredCount: 2, workingHours: HOURS,
      }));
      expect(project.description).toMatch(/then resumes the working hours of stg-server; a failure leaves it at 0 tasks$/);
    });

    test('refuses working hours without the target it would resume (its own role could not)', () => {
      expect(() => synthJob({ workingHours: HOURS })).toThrow(/scalableTargetArn: give WorkingHours\.targetArn with workingHours/);
    });
  });

  test('GIVEN a role made elsewhere (a preview\'s, staging\'s for every preview) WHEN synthesized THEN the project runs with it and the job makes no role and no policy', () => {
    // WHEN
    const synth = synthJob({ roleArn: '${data.terraform_remote_state.staging.outputs.previews_clone_mask_role_arn}', workingHours: { wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)', timezone: 'Asia/Tokyo' } });
    // THEN
    expect(synth.addresses().sort()).toEqual([`aws_cloudwatch_log_group.${ADDRESS}`, `aws_codebuild_project.${ADDRESS}`]);
    const project = synth.resource('aws_codebuild_project', ADDRESS);
    expect(project.service_role).toBe('${data.terraform_remote_state.staging.outputs.previews_clone_mask_role_arn}');
    expect(project).not.toHaveProperty('depends_on');
  });

  test('GIVEN a project name near CodeBuild\'s length WHEN synthesized THEN its role\'s name stays within IAM\'s 64 characters', () => {
    // WHEN
    const synth = synthJob({ projectName: `${'a'.repeat(56)}-stg-clone-mask` });
    // THEN
    const name = synth.resource('aws_iam_role', ADDRESS).name as string;
    expect(name.length).toBeLessThanOrEqual(64);
    expect(name).toMatch(/^a+-[0-9a-f]{8}-codebuild$/);
  });

  test.each<[string, Partial<MaskingJobProps>, RegExp]>([
    ['a clone without a mask file', { clone: { ...TARGET, maskFile: undefined } }, /clone\.maskFile: the clone has no mask file/],
    ['a clone that admits no masking job', { clone: { ...TARGET, securityGroupId: undefined } }, /clone\.securityGroupId: give CloneDatabase the MaskJobSecurityGroup/],
    ['no subnets', { clone: { ...TARGET, subnetIds: [] } }, /clone\.subnetIds/],
    ['a project name with a space', { projectName: 'mask job' }, /projectName: must be 2–255/],
    ['a timeout past CodeBuild\'s', { buildTimeoutMinutes: 2161 }, /buildTimeoutMinutes/],
    ['both source credentials', { tokenSecretArn: TOKEN_SECRET }, /exactly one of connectionArn and tokenSecretArn/],
    ['no desired count', { desiredCount: 0 }, /desiredCount: must be an integer of at least 1/],
    ['a mask file outside the source', { clone: { ...TARGET, maskFile: '../mask.sql' } }, /maskFile: must be a path inside the source/],
  ])('refuses %s', (_name, change, error) => {
    // GIVEN the props with that change / WHEN / THEN
    expect(() => synthJob(change)).toThrow(error);
  });
});

describe('maskBuildspecObject / renderMaskBuildspec', () => {
  const SPEC: MaskBuildspecProps = {
    engine: 'aurora-postgresql', maskFile: 'db/mask.sql', clusterIdentifier: 'prod-db-stg-clone', endpoint: TARGET.endpoint, port: 5432, databaseName: 'app',
    secretArn: SECRET_ARN, region: 'ap-northeast-1', ecsCluster: 'stg_ecs_cluster', ecsService: 'stg-server', desiredCount: 2,
  };
  const commands = (props: MaskBuildspecProps) => Object.values(maskBuildspecObject(props).phases).flatMap((phase) => phase.commands);

  test.each(['aurora-postgresql', 'aurora-mysql'] as const)('GIVEN %s WHEN rendered THEN the YAML reads back as the object, after a generated-file header', (engine) => {
    // WHEN
    const text = renderMaskBuildspec({ ...SPEC, engine, sourceEnvironmentFile: 'environments/stg.json' });
    // THEN
    expect(text).toMatch(/^# Generated from environments\/stg\.json by the staging project: the masking job of a copy-on-write clone\. Do not edit by hand\.\n/);
    expect(yaml.safeLoad(text)).toEqual(maskBuildspecObject({ ...SPEC, engine }));
  });

  test.each(['aurora-postgresql', 'aurora-mysql'] as const)('GIVEN %s WHEN rendered THEN no command holds "${" or "%{" (the project carries it as a Terraform string) nor any value: values are variables', (engine) => {
    // WHEN
    const all = commands({ ...SPEC, engine }).join('\n');
    // THEN
    expect(all).not.toMatch(/[$%]\{/);
    for (const value of [SPEC.endpoint, SPEC.secretArn, SPEC.clusterIdentifier, SPEC.maskFile, 'stg_ecs_cluster']) expect(all).not.toContain(value);
  });

  test('GIVEN each engine WHEN rendered THEN each installs its own client when missing, and only PostgreSQL sets libpq\'s TLS and timeout', () => {
    // WHEN
    const postgres = maskBuildspecObject(SPEC);
    const mysql = maskBuildspecObject({ ...SPEC, engine: 'aurora-mysql', port: 3306 });
    // THEN
    expect(postgres.phases.install.commands[0]).toBe('command -v psql >/dev/null || dnf install -y -q postgresql15');
    expect(mysql.phases.install.commands[0]).toBe('command -v mariadb >/dev/null || dnf install -y -q mariadb105');
    expect(postgres.env.variables).toMatchObject({ PGSSLMODE: 'require', PGCONNECT_TIMEOUT: '30', MASK_DB_PORT: '5432', MASK_DESIRED_COUNT: '2' });
    expect(mysql.env.variables).not.toHaveProperty('PGSSLMODE');
    expect(mysql.phases.build.commands.join('\n')).not.toContain('psql');
  });

  test('GIVEN every phase WHEN rendered THEN each aborts the build on failure, and the scale-up is the build phase\'s last but its wait', () => {
    // WHEN
    const spec = maskBuildspecObject(SPEC);
    // THEN
    expect(Object.keys(spec.phases)).toEqual(['install', 'pre_build', 'build']);
    for (const phase of Object.values(spec.phases)) expect(phase['on-failure']).toBe('ABORT');
    expect(spec.phases.build.commands.slice(-2).map((c) => c.split(' ').slice(0, 3).join(' '))).toEqual(['aws ecs update-service', 'aws ecs wait']);
  });

  test('GIVEN a shorter wait WHEN rendered THEN timeout bounds the waiter; at 600 s the waiter bounds itself', () => {
    const last = (props: MaskBuildspecProps) => maskBuildspecObject(props).phases.build.commands.at(-1);
    expect(last({ ...SPEC, waitTimeoutSeconds: 120 })).toMatch(/^timeout 120 aws ecs wait services-stable /);
    expect(last(SPEC)).toMatch(/^aws ecs wait services-stable /);
  });

  test.each<[string, Partial<MaskBuildspecProps>, RegExp]>([
    ['an RDS instance engine', { engine: 'postgres' as never }, /engine: must be aurora-postgresql or aurora-mysql/],
    ['an absolute mask file', { maskFile: '/etc/passwd' }, /maskFile: must be a path inside the source/],
    ['a mask file with a line break', { maskFile: 'db/mask.sql\necho' }, /maskFile: must be a non-empty single line/],
    ['a secret that is no ARN', { secretArn: 'prod/db' }, /secretArn: must be a Secrets Manager secret ARN/],
    ['a port of 0', { port: 0 }, /port: must be an integer from 1 to 65535/],
    ['a fractional desired count', { desiredCount: 1.5 }, /desiredCount/],
    ['an unknown region', { region: 'mars-1' }, /region: must be an AWS Region/],
    ['a wait past the waiter limit', { waitTimeoutSeconds: 601 }, /waitTimeoutSeconds/],
  ])('refuses %s', (_name, change, error) => {
    expect(() => maskBuildspecObject({ ...SPEC, ...change })).toThrow(error);
  });

  describe('with working hours', () => {
    const HOURS = { wake: 'cron(0 8 ? * MON-FRI *)', sleep: 'cron(0 21 ? * MON-FRI *)', timezone: 'Asia/Tokyo' };
    const WITH_HOURS: MaskBuildspecProps = { ...SPEC, workingHours: HOURS };
    const heads = (props: MaskBuildspecProps) => maskBuildspecObject(props).phases.build.commands.map((c) => c.replace(/^\[ "\$MASK_COUNT" = 0 \] \|\| /, '').split(' ').slice(0, 3).join(' '));

    test('GIVEN working hours WHEN rendered THEN the schedule, its time zone, the scalable target and the script that reads them are variables, and node is installed when missing', () => {
      // WHEN
      const spec = maskBuildspecObject(WITH_HOURS);
      // THEN
      expect(spec.env.variables).toMatchObject({ MASK_WAKE: HOURS.wake, MASK_SLEEP: HOURS.sleep, MASK_TIMEZONE: HOURS.timezone, MASK_SCALABLE_TARGET: 'service/stg_ecs_cluster/stg-server', MASK_HOURS_JS: workingHoursScript() });
      expect(spec.phases.install.commands).toContain('command -v node >/dev/null || dnf install -y -q nodejs');
      expect(maskBuildspecObject(SPEC).env.variables).not.toHaveProperty('MASK_HOURS_JS');
      expect(maskBuildspecObject(SPEC).phases.install.commands.join('\n')).not.toContain('node');
      expect(yaml.safeLoad(renderMaskBuildspec(WITH_HOURS))).toEqual(spec);
    });

    test('GIVEN working hours WHEN rendered THEN after the mask the target is resumed, then (awake) the service scaled and waited for: no bare update-service before it', () => {
      // WHEN
      const order = heads(WITH_HOURS);
      // THEN
      const mask = order.findIndex((c) => c.startsWith('psql'));
      const register = order.indexOf('aws application-autoscaling register-scalable-target');
      expect(mask).toBeGreaterThan(-1);
      expect(register).toBeGreaterThan(mask);
      expect(order.indexOf('aws ecs update-service')).toBeGreaterThan(register);
      expect(order.slice(-2)).toEqual(['aws ecs update-service', 'aws ecs wait']);
      expect(maskBuildspecObject(WITH_HOURS).phases.build.commands.join('\n')).toContain('--suspended-state DynamicScalingInSuspended=false,DynamicScalingOutSuspended=false,ScheduledScalingSuspended=false');
    });

    test('GIVEN working hours WHEN rendered THEN no command holds "${" or "%{", the expressions, the time zone or the target: they are variables', () => {
      const all = commands(WITH_HOURS).join('\n');
      expect(all).not.toMatch(/[$%]\{/);
      for (const value of [HOURS.wake, HOURS.sleep, HOURS.timezone, 'service/stg_ecs_cluster/stg-server']) expect(all).not.toContain(value);
      expect(renderMaskBuildspec(WITH_HOURS)).toMatch(/^# It masks the clone with db\/mask\.sql, then resumes the service's working hours; any failure leaves it at 0 tasks\.$/m);
    });

    test.each<[string, Partial<MaskBuildspecProps>, RegExp]>([
      ['a wake the job cannot read', { workingHours: { ...HOURS, wake: 'cron(0 8 ? * +MON *)' } }, /workingHours\.wake: the job cannot read it to tell awake from asleep: cron\(0 8 \? \* \+MON \*\): cannot read "\+MON"/],
      ['a sleep the job cannot read', { workingHours: { ...HOURS, sleep: 'rate(1 day)' } }, /workingHours\.sleep: the job cannot read it/],
      ['an unknown time zone', { workingHours: { ...HOURS, timezone: 'Mars/Olympus' } }, /workingHours\.timezone: must be an IANA time zone/],
      ['a cluster ARN (the target is named by the cluster\'s name)', { ecsCluster: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/stg_ecs_cluster' }, /ecsCluster: must be the cluster's name with workingHours/],
    ])('refuses %s', (_name, change, error) => {
      expect(() => maskBuildspecObject({ ...WITH_HOURS, ...change })).toThrow(error);
    });
  });

  test('GIVEN Terraform references for the clone\'s values WHEN rendered THEN the shape checks let them through, to be known at apply', () => {
    expect(() => maskBuildspecObject({ ...SPEC, secretArn: '${aws_rds_cluster.database_clone.master_user_secret[0].secret_arn}', region: '${var.region}' })).not.toThrow();
  });
});
