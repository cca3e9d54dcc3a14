import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';
import { ADDRESS, ARTICLE } from '../kit/defaults';
import { adopt, AdoptionProps } from './adoption';

export interface DnsRecordProps extends AdoptionProps {
  /**
   * "CNAME", the article's record, or "alias": an A alias to the ALB (free queries, allowed at the zone apex).
   * @default "CNAME"
   */
  readonly type?: 'CNAME' | 'alias';
  /** Hosted zone of the staging host name. */
  readonly zoneId: string;
  /** Record name, the staging host name. */
  readonly name: string;
  /** What the record points at: the production ALB's DNS name. */
  readonly target: string;
  /**
   * The ALB's canonical hosted zone ID; required for an alias.
   * @default - none
   */
  readonly targetZoneId?: string;
  /**
   * Record TTL in seconds (CNAME only; an alias uses the target's).
   * @default 300
   */
  readonly ttl?: number;
  /**
   * Weighted routing weight.
   * @default 100
   */
  readonly weight?: number;
  /**
   * Identifier of this weighted record; Route 53 requires one, the article omits it.
   * @default "stg"
   */
  readonly setIdentifier?: string;
}

/** Article section 6: the weighted record `aws_route53_record.stg_server`, a CNAME as in the article or an alias. */
export class DnsRecord extends Construct {
  public readonly resource: Route53Record;

  constructor(scope: Construct, id: string, props: DnsRecordProps) {
    super(scope, id);
    const defaults = ARTICLE.dnsRecord;
    const alias = props.type === 'alias';
    if (alias && props.targetZoneId === undefined) {
      throw new Error(`${this.node.path}: targetZoneId: is required for an alias record (the ALB's canonical hosted zone ID)`);
    }
    this.resource = new Route53Record(this, 'Resource', {
      name: props.name,
      zoneId: props.zoneId,
      ...(alias
        ? { type: 'A', alias: { name: props.target, zoneId: props.targetZoneId!, evaluateTargetHealth: true } }
        : { type: defaults.type, records: [props.target], ttl: props.ttl ?? defaults.ttl }),
      setIdentifier: props.setIdentifier ?? defaults.setIdentifier,
      weightedRoutingPolicy: { weight: props.weight ?? defaults.weight },
    });
    this.resource.overrideLogicalId(ADDRESS.dnsRecord);
    adopt(this.resource, props);
  }
}
