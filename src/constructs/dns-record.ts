import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Construct } from 'constructs';
import { ADDRESS, ARTICLE } from '../defaults';

export interface DnsRecordProps {
  /** Hosted zone of the staging host name. */
  readonly zoneId: string;
  /** Record name, the staging host name. */
  readonly name: string;
  /** What the CNAME points at: the production ALB's DNS name. */
  readonly target: string;
  /**
   * Record TTL in seconds.
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

/** Article section 6: the weighted CNAME `aws_route53_record.stg_server`. */
export class DnsRecord extends Construct {
  public readonly resource: Route53Record;

  constructor(scope: Construct, id: string, props: DnsRecordProps) {
    super(scope, id);
    const defaults = ARTICLE.dnsRecord;
    this.resource = new Route53Record(this, 'Resource', {
      name: props.name,
      records: [props.target],
      ttl: props.ttl ?? defaults.ttl,
      type: defaults.type,
      zoneId: props.zoneId,
      setIdentifier: props.setIdentifier ?? defaults.setIdentifier,
      weightedRoutingPolicy: { weight: props.weight ?? defaults.weight },
    });
    this.resource.overrideLogicalId(ADDRESS.dnsRecord);
  }
}
