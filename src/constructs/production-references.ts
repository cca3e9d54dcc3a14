import { DataAwsEcrRepository } from '@cdktf/provider-aws/lib/data-aws-ecr-repository';
import { DataAwsLb } from '@cdktf/provider-aws/lib/data-aws-lb';
import { DataAwsLbListener } from '@cdktf/provider-aws/lib/data-aws-lb-listener';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone';
import { DataAwsSecurityGroups } from '@cdktf/provider-aws/lib/data-aws-security-groups';
import { DataAwsSubnets } from '@cdktf/provider-aws/lib/data-aws-subnets';
import { Construct } from 'constructs';

/** Either an explicit ID/ARN, or what to look up. Exactly one of each pair is set (the schema checks it). */
export interface ProductionReferencesProps {
  /** The production listener's ARN. @default - looked up through `loadBalancer` */
  readonly listenerArn?: string;
  /** The production ALB's name and listener port. @default - none: `listenerArn` is used */
  readonly loadBalancer?: { readonly name: string; readonly listenerPort: number };
  /** The production VPC. @default - the looked-up ALB's VPC */
  readonly vpcId?: string;
  /** The tasks' subnets. @default - looked up by `subnetTags` in the VPC */
  readonly subnetIds?: readonly string[];
  /** Tags that select the tasks' subnets. @default - none */
  readonly subnetTags?: Readonly<Record<string, string>>;
  /** The tasks' security groups. @default - looked up by `securityGroupTags` in the VPC */
  readonly securityGroupIds?: readonly string[];
  /** Tags that select the tasks' security groups. @default - none */
  readonly securityGroupTags?: Readonly<Record<string, string>>;
  /** Hosted zone ID. @default - looked up by `zoneName` */
  readonly zoneId?: string;
  /** Hosted zone domain name. @default - none */
  readonly zoneName?: string;
  /** ALB DNS name for the record. @default - the looked-up ALB's DNS name */
  readonly albDnsName?: string;
  /** ALB canonical hosted zone, for an alias record. @default - the looked-up ALB's zone */
  readonly albZoneId?: string;
  /** Container image. @default - the looked-up `repository`'s URL with the tag `tag` */
  readonly image?: string;
  /** The staging ECR repository name. */
  readonly repository: string;
  /** Tag of the image to run when the image is derived from the repository. */
  readonly tag: string;
  /**
   * Whether the ALB's IP address type is needed (an IPv6 allowlist). Known only when the ALB is looked
   * up: a listener given by ARN is not read, so that a stack given IDs plans with no AWS call.
   * @default false
   */
  readonly needsIpAddressType?: boolean;
}

/** Production written out by ID and ARN: the stack then plans with no AWS call. */
export interface ProductionIds {
  readonly listenerArn: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** @default - none: the stack creates the tasks' group */
  readonly securityGroupIds?: readonly string[];
  readonly zoneId: string;
  readonly albDnsName: string;
  /** Needed for an alias record. @default - none */
  readonly albZoneId?: string;
  readonly image: string;
  readonly repository: string;
  readonly tag: string;
}

/** Production found by name and tag at plan time (needs credentials to plan). */
export interface ProductionLookup {
  readonly loadBalancer: { readonly name: string; readonly listenerPort: number };
  readonly subnetTags: Readonly<Record<string, string>>;
  /** @default - none: the stack creates the tasks' group */
  readonly securityGroupTags?: Readonly<Record<string, string>>;
  readonly zoneName: string;
  readonly repository: string;
  readonly tag: string;
  /** @default false */
  readonly needsIpAddressType?: boolean;
}

/**
 * The production resources staging refers to, as plain values or as data sources. Nothing here is
 * managed: data sources only read, and explicit IDs need no AWS call at all (offline plan works).
 */
export class ProductionReferences extends Construct {
  public readonly listenerArn: string;
  /** The looked-up listener's protocol; undefined when the listener is given by ARN. */
  public readonly listenerProtocol?: string;
  public readonly vpcId: string;
  public readonly subnetIds: string[];
  /** Undefined when neither IDs nor tags are given: the stack then creates the service's group. */
  public readonly securityGroupIds?: string[];
  public readonly zoneId: string;
  public readonly albDnsName?: string;
  public readonly albZoneId?: string;
  public readonly image: string;
  /** The ALB's `ip_address_type` (ipv4, dualstack, …), when `needsIpAddressType` asks for it. */
  public readonly albIpAddressType?: string;

  /** Everything by ID and ARN, as aws-cdk's `fromAttributes`: no data source at all. */
  public static fromIds(scope: Construct, id: string, ids: ProductionIds): ProductionReferences {
    return new ProductionReferences(scope, id, ids);
  }

  /** Everything looked up, as aws-cdk's `fromLookup`: the ALB and listener, subnets, groups, zone, repository. */
  public static fromLookup(scope: Construct, id: string, lookup: ProductionLookup): ProductionReferences {
    return new ProductionReferences(scope, id, lookup);
  }

  /** Each reference by ID or by lookup, as the environment file chooses per field. */
  constructor(scope: Construct, id: string, props: ProductionReferencesProps) {
    super(scope, id);
    const alb = props.loadBalancer ? new DataAwsLb(this, 'LoadBalancer', { name: props.loadBalancer.name }) : undefined;
    alb?.overrideLogicalId('production');
    if (alb && props.loadBalancer) {
      const listener = new DataAwsLbListener(this, 'Listener', { loadBalancerArn: alb.arn, port: props.loadBalancer.listenerPort });
      listener.overrideLogicalId('production');
      this.listenerArn = listener.arn;
      this.listenerProtocol = listener.protocol;
    } else {
      this.listenerArn = props.listenerArn!;
    }
    if (props.needsIpAddressType) this.albIpAddressType = alb?.ipAddressType;
    this.vpcId = props.vpcId ?? alb!.vpcId;
    this.albDnsName = props.albDnsName ?? alb?.dnsName;
    this.albZoneId = props.albZoneId ?? alb?.zoneId;

    this.subnetIds = props.subnetIds ? [...props.subnetIds] : this.idsByTag(DataAwsSubnets, 'Subnets', props.subnetTags);
    if (props.securityGroupIds) this.securityGroupIds = [...props.securityGroupIds];
    else if (props.securityGroupTags) this.securityGroupIds = this.idsByTag(DataAwsSecurityGroups, 'SecurityGroups', props.securityGroupTags);
    if (props.zoneId) {
      this.zoneId = props.zoneId;
    } else {
      const zone = new DataAwsRoute53Zone(this, 'Zone', { name: props.zoneName, privateZone: false });
      zone.overrideLogicalId('staging');
      this.zoneId = zone.zoneId;
    }
    if (props.image) {
      this.image = props.image;
    } else {
      const repository = new DataAwsEcrRepository(this, 'Repository', { name: props.repository });
      repository.overrideLogicalId('staging');
      this.image = `${repository.repositoryUrl}:${props.tag}`;
    }
  }

  /** Subnets or security groups found by tag inside the VPC, as `data.<type>.service`. */
  private idsByTag(
    DataSource: typeof DataAwsSubnets | typeof DataAwsSecurityGroups,
    id: string,
    tags: Readonly<Record<string, string>> = {},
  ): string[] {
    const lookup = new DataSource(this, id, { filter: [{ name: 'vpc-id', values: [this.vpcId] }], tags: { ...tags } });
    lookup.overrideLogicalId('service');
    return lookup.ids;
  }
}
