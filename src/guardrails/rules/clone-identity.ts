import { CLONE_MARK } from '../../constructs/clone-database';
import { blocks, GuardrailRule, ResourceView, StackView, Violation } from '../guardrail';

const ignored = (resource: ResourceView): string[] => resource.attributes.lifecycle?.ignore_changes ?? [];

/** The source a clone's marks name (`database-clone-of:<identifier>`). */
function markedSource(resource: ResourceView): string | undefined {
  return resource.marks.find((mark) => mark.startsWith(CLONE_MARK.sourceOf))?.slice(CLONE_MARK.sourceOf.length);
}

/** Why a cluster marked as a clone is not a copy-on-write clone of its own, one reason each. */
export function cloneClusterProblems(cluster: ResourceView): string[] {
  const problems: string[] = [];
  const restore = blocks(cluster.attributes.restore_to_point_in_time)[0];
  const identifier = String(cluster.attributes.cluster_identifier ?? '');
  const source = markedSource(cluster);
  if (!restore) problems.push('it is no restore: restore_to_point_in_time is missing, so it would be a new, empty cluster');
  else {
    if (restore.restore_type !== 'copy-on-write') problems.push(`restore_type is ${JSON.stringify(restore.restore_type ?? 'full-copy')}, not "copy-on-write" (a full copy pays for all of production's storage)`);
    if (restore.source_cluster_identifier === undefined) problems.push('restore_to_point_in_time names no source_cluster_identifier');
    if (typeof restore.source_cluster_identifier === 'string' && !restore.source_cluster_identifier.includes('${') && restore.source_cluster_identifier.toLowerCase() === identifier.toLowerCase()) {
      problems.push(`its identifier ${identifier} is its source's`);
    }
  }
  if (source === undefined) problems.push('it names no source (the database-clone-of mark)');
  if (identifier === '' || identifier.includes('${')) problems.push('its cluster_identifier is not written out, so the guardrail cannot tell it from production');
  else if (source !== undefined && identifier.toLowerCase() === source.toLowerCase()) problems.push(`its identifier ${identifier} is the production cluster's: the stack would manage (and destroy) production`);
  if (!ignored(cluster).includes('restore_to_point_in_time')) problems.push('it does not ignore changes to restore_to_point_in_time, so a change there replaces it (terraform-provider-aws #32888)');
  if (cluster.attributes.skip_final_snapshot !== true) problems.push('skip_final_snapshot is not true, so destroying it fails without a final_snapshot_identifier (and keeps a snapshot of production data)');
  if (cluster.attributes.deletion_protection === true) problems.push('deletion_protection is on, so the preview or staging destroy fails');
  return problems;
}

/** The clone clusters of the stack an instance belongs to (by reference), if it is one of theirs. */
function instanceOfClone(instance: ResourceView, stack: StackView): boolean {
  const cluster = stack.referenced(instance.attributes.cluster_identifier);
  return cluster !== undefined && cluster.type === 'aws_rds_cluster' && cluster.marks.includes(CLONE_MARK.clone);
}

// A database the stack manages is never production: only a copy-on-write clone of its own, under another identifier.
export const CloneIdentity: GuardrailRule = {
  id: 'STG-CloneIdentity',
  level: 'error',
  message: 'a database the stack manages must be a copy-on-write clone of production under an identifier of its own',
  explanation:
    'With service.database.access "clone" the stack manages an Aurora cluster restored from production (restore_type "copy-on-write", the latest restorable time), its one instance and its subnet group. Anything else would be production itself, or a full copy of it: an identifier equal to the source would make a destroy delete production, an instance whose cluster is not the clone would be added to production\'s cluster. The clone also skips its final snapshot, has no deletion protection, and ignores changes to restore_to_point_in_time (provider #32888). Build it with CloneDatabase, which derives <source>-<stack>-clone; not suppressible.',
  suppressible: false,
  check(resource, stack) {
    if (!resource.marks.includes(CLONE_MARK.clone)) return [];
    const violations: Violation[] = [];
    if (resource.type === 'aws_rds_cluster') {
      for (const problem of cloneClusterProblems(resource)) violations.push({ detail: problem, value: resource.attributes.cluster_identifier });
    }
    if (resource.type === 'aws_rds_cluster_instance' && !instanceOfClone(resource, stack)) {
      violations.push({ detail: 'the instance is not in a clone cluster of this stack (cluster_identifier must reference it): it would join another cluster, production\'s perhaps', value: resource.attributes.cluster_identifier });
    }
    return violations;
  },
};
