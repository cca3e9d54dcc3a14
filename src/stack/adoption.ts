import { TerraformResource } from 'cdktf';
import { EnvironmentConfig } from '../environment/schema';

type Adopt = NonNullable<EnvironmentConfig['adopt']>;
export type AdoptableResource = keyof NonNullable<Adopt['movedFrom']>;

/** The managed resource behind each key of `adopt`. */
export type AdoptableResources = Record<AdoptableResource, TerraformResource>;

/**
 * Import IDs, in each resource's documented `terraform import` format (AWS provider docs, "Import"):
 * given ARNs as they are, the rest derived from the names the file already holds.
 */
export function importIds(config: EnvironmentConfig): Partial<Record<AdoptableResource, string>> {
  const adopt = config.adopt ?? {};
  const cluster = config.cluster.name;
  const record = config.dnsRecord;
  const recordType = (record.type) === 'alias' ? 'A' : 'CNAME';
  return {
    ...(adopt.cluster ? { cluster } : {}),
    ...(adopt.service ? { service: `${cluster}/${config.service.name}` } : {}),
    ...(adopt.ecrLifecyclePolicy ? { ecrLifecyclePolicy: config.ecrLifecycle.repository } : {}),
    ...(adopt.dnsRecord ? { dnsRecord: `${record.zoneId}_${record.name}_${recordType}_${record.setIdentifier}` } : {}),
    ...(adopt.targetGroup ? { targetGroup: adopt.targetGroup } : {}),
    ...(adopt.listenerRule ? { listenerRule: adopt.listenerRule } : {}),
    ...(adopt.taskDefinition ? { taskDefinition: adopt.taskDefinition } : {}),
  };
}

/**
 * The file's `adopt` section as Terraform ≥ 1.5 `import` and `moved` blocks (cdktf `importFrom` and
 * `moveFromId`): existing AWS resources come into state, renamed addresses move, nothing is recreated.
 * (The log group's import is its construct's own `adopt` prop.)
 */
export function applyAdoption(byKey: AdoptableResources, config: EnvironmentConfig): void {
  for (const [key, id] of Object.entries(importIds(config)) as [AdoptableResource, string][]) byKey[key].importFrom(id);
  for (const [key, from] of Object.entries(config.adopt?.movedFrom ?? {}) as [AdoptableResource, string][]) byKey[key].moveFromId(from);
}
