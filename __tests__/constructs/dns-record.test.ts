import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { DnsRecord } from '../../src/constructs/dns-record';
import { synthScope } from '../support/synth';
import '../support/cdktf-matchers';

const ALB_DNS = 'prod-alb-1234567890.ap-northeast-1.elb.amazonaws.com';

describe('DnsRecord', () => {
  test('defaults reproduce the article, section 6, with the set identifier it lacks', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new DnsRecord(scope, 'DnsRecord', { zoneId: 'Z0123456789ABCDEFGHIJ', name: 'stg-api.example.com', target: ALB_DNS });
    });

    // THEN
    expect(synth.addresses()).toEqual(['aws_route53_record.stg_server']);
    expect(synth.json).toHaveResourceWithProperties(Route53Record, {
      name: 'stg-api.example.com',
      records: [ALB_DNS],
      ttl: 300,
      type: 'CNAME',
      zone_id: 'Z0123456789ABCDEFGHIJ',
      set_identifier: 'stg',
      weighted_routing_policy: expect.objectContaining({ weight: 100 }),
    });
  });

  test('given values replace the defaults', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new DnsRecord(scope, 'DnsRecord', {
        zoneId: 'Z0123456789ABCDEFGHIJ',
        name: 'preview-api.example.com',
        target: ALB_DNS,
        ttl: 60,
        weight: 10,
        setIdentifier: 'preview',
      });
    });

    // THEN
    expect(synth.resource('aws_route53_record', 'stg_server')).toMatchObject({
      ttl: 60,
      set_identifier: 'preview',
      weighted_routing_policy: { weight: 10 },
    });
  });
});

describe('DnsRecord of type alias', () => {
  test('is an A alias to the ALB, still weighted, without TTL or records', () => {
    // WHEN
    const synth = synthScope((scope) => {
      new DnsRecord(scope, 'DnsRecord', {
        type: 'alias',
        zoneId: 'Z0123456789ABCDEFGHIJ',
        name: 'example.com',
        target: ALB_DNS,
        targetZoneId: 'Z14GRHDCWA56QT',
      });
    });
    // THEN
    const record = synth.resource('aws_route53_record', 'stg_server');
    expect(record).toMatchObject({
      type: 'A',
      alias: { name: ALB_DNS, zone_id: 'Z14GRHDCWA56QT', evaluate_target_health: true },
      set_identifier: 'stg',
      weighted_routing_policy: { weight: 100 },
    });
    expect(record).not.toHaveProperty('ttl');
    expect(record).not.toHaveProperty('records');
  });

  test('without the ALB zone it fails at synth', () => {
    expect(() =>
      synthScope((scope) => {
        new DnsRecord(scope, 'DnsRecord', { type: 'alias', zoneId: 'Z0123456789ABCDEFGHIJ', name: 'example.com', target: ALB_DNS });
      }),
    ).toThrow(/DnsRecord: targetZoneId: is required for an alias record/);
  });
});
