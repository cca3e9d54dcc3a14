import { AdoptionProps } from '../constructs/adoption';
import { createdNames } from '../environment/names';
import { EnvironmentConfig } from '../environment/schema';

type Adopt = NonNullable<EnvironmentConfig['adopt']>;
export type AdoptableResource = keyof NonNullable<Adopt['movedFrom']>;


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
    ...(adopt.logGroup ? { logGroup: createdNames(config).logGroup } : {}),
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
 * The file's `adopt` section for one resource, as its construct's props: an import ID (Terraform ≥ 1.5
 * `import` block) and the address it moves from (`moved` block). Existing AWS resources come into
 * state, renamed addresses move, nothing is recreated.
 */
export function adoptionOf(config: EnvironmentConfig, key: AdoptableResource): AdoptionProps {
  return { importId: importIds(config)[key], movedFrom: config.adopt?.movedFrom?.[key] };
}
