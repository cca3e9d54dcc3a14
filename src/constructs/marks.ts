import { TerraformResource } from 'cdktf';

/**
 * Decisions a construct records on a resource for the guardrails to read, where the Terraform
 * arguments alone cannot say them (e.g. that a listener rule is open to everyone by choice).
 * Constructs write marks; guardrails, a layer above, read them.
 */
export const MARK = 'staging:guardrail-mark';

/** The listener rule is public because the file says `access.public: true`. */
export const PUBLIC_BY_CHOICE = 'public-by-choice';

/**
 * On a task definition, `secret-field:<path>`: a secret the environment file gives its container, by
 * the field that writes it (e.g. `taskDefinition.container.secrets.DB_PASSWORD`; on staging's task
 * definition also `previews.secrets.<name>`, which each preview's container gets), so that a guardrail
 * can name the field to change.
 */
export const SECRET_FIELD = 'secret-field:';

/** Records a decision on a resource. */
export function markResource(resource: TerraformResource, mark: string): void {
  resource.node.addMetadata(MARK, mark);
}

/** The marks recorded on a resource. */
export function marksOf(resource: TerraformResource): string[] {
  return resource.node.metadata.filter((entry) => entry.type === MARK).map((entry) => String(entry.data));
}
