import * as path from 'node:path';
import { loadEnvironmentFile } from '../../src/environment/load';
import { ProductionReferences } from '../../src/constructs/production-references';
import { StagingEnvironment } from '../../src/stack/staging-environment';
import { fixtureConfig, PROJECT_ROOT, synthScope } from '../support/synth';

const LOOKUP_FILE = path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup', 'lookup.json');

function lookupConfig() {
  const result = loadEnvironmentFile(LOOKUP_FILE);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.environment.config;
}

function synthData(config: ReturnType<typeof fixtureConfig>) {
  const synth = synthScope((scope) => {
    new StagingEnvironment(scope, 'Staging', { config });
  });
  return { synth, data: (JSON.parse(synth.json).data ?? {}) as Record<string, Record<string, any>> };
}

describe('ProductionReferences', () => {
  test('explicit IDs need no data source, so the stack plans offline', () => {
    // WHEN
    const { data } = synthData(fixtureConfig());
    // THEN
    expect(data).toEqual({});
  });

  describe('in lookup mode', () => {
    // GIVEN an environment that names the ALB, zone, subnets, security groups and repository instead of giving IDs
    const { synth, data } = synthData(lookupConfig());

    test('it reads the ALB by name and the listener by port', () => {
      expect(data.aws_lb.production).toMatchObject({ name: 'prod-alb' });
      expect(data.aws_lb_listener.production).toMatchObject({ load_balancer_arn: '${data.aws_lb.production.arn}', port: 443 });
      expect(synth.resource('aws_alb_listener_rule', 'stg_server_rule').listener_arn).toBe('${data.aws_lb_listener.production.arn}');
    });

    test("the DNS record targets the ALB's DNS name, in the zone found by name", () => {
      expect(data.aws_route53_zone.staging).toMatchObject({ name: 'example.com', private_zone: false });
      expect(synth.resource('aws_route53_record', 'stg_server')).toMatchObject({
        zone_id: '${data.aws_route53_zone.staging.zone_id}',
        records: ['${data.aws_lb.production.dns_name}'],
      });
    });

    test("subnets and security groups are found by tag in the ALB's VPC", () => {
      const inVpc = [{ name: 'vpc-id', values: ['${data.aws_lb.production.vpc_id}'] }];
      expect(data.aws_subnets.service).toMatchObject({ tags: { Tier: 'public' }, filter: inVpc });
      expect(data.aws_security_groups.service).toMatchObject({ tags: { Name: 'prod-api-tasks' }, filter: inVpc });
      expect(synth.resource('aws_lb_target_group', 'stg_server_target').vpc_id).toBe('${data.aws_lb.production.vpc_id}');
      expect(synth.resource('aws_ecs_service', 'stg_server').network_configuration).toMatchObject({
        subnets: '${data.aws_subnets.service.ids}',
        security_groups: '${data.aws_security_groups.service.ids}',
      });
    });

    test('the image is the looked-up repository with the stg tag', () => {
      expect(data.aws_ecr_repository.staging).toMatchObject({ name: 'stg-server' });
      const [container] = JSON.parse(synth.resource('aws_ecs_task_definition', 'stg_server').container_definitions);
      expect(container.image).toBe('${data.aws_ecr_repository.staging.repository_url}:stg');
    });

    test('the alias record takes the ALB’s zone', () => {
      const config = lookupConfig();
      const alias = { ...config, dnsRecord: { ...config.dnsRecord, type: 'alias' as const, ttl: undefined } };
      const record = synthData(alias).synth.resource('aws_route53_record', 'stg_server');
      expect(record.alias).toEqual({ name: '${data.aws_lb.production.dns_name}', zone_id: '${data.aws_lb.production.zone_id}', evaluate_target_health: true });
    });
  });
});

describe('ProductionReferences.fromIds / fromLookup', () => {
  test('fromIds: the values as given, and no data source', () => {
    // WHEN
    let references!: ProductionReferences;
    const synth = synthScope((scope) => {
      references = ProductionReferences.fromIds(scope, 'Production', {
        listenerArn: 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/prod-alb/0123456789abcdef/0123456789abcdef',
        vpcId: 'vpc-0123456789abcdef0',
        subnetIds: ['subnet-0123456789abcdef0'],
        zoneId: 'Z0123456789ABCDEFGHIJ',
        albDnsName: 'prod-alb-1234567890.ap-northeast-1.elb.amazonaws.com',
        image: '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/stg-server:stg',
        repository: 'stg-server',
        tag: 'stg',
      });
    });
    // THEN
    expect(JSON.parse(synth.json).data).toBeUndefined();
    expect([references.vpcId, references.subnetIds, references.securityGroupIds]).toEqual(['vpc-0123456789abcdef0', ['subnet-0123456789abcdef0'], undefined]);
  });

  test('fromLookup: the ALB, its listener, the subnets, the zone and the repository are data sources', () => {
    // WHEN
    const synth = synthScope((scope) => {
      ProductionReferences.fromLookup(scope, 'Production', { loadBalancer: { name: 'prod-alb', listenerPort: 443 }, subnetTags: { Tier: 'private' }, zoneName: 'example.com', repository: 'stg-server', tag: 'stg' });
    });
    // THEN
    expect(Object.keys(JSON.parse(synth.json).data).sort()).toEqual(['aws_ecr_repository', 'aws_lb', 'aws_lb_listener', 'aws_route53_zone', 'aws_subnets']);
  });
});
