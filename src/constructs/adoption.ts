import { TerraformResource } from 'cdktf';

/**
 * How a construct's resource joins a state that already exists: imported by its ID (a Terraform ≥ 1.5
 * `import` block), and/or moved from the address it had (a `moved` block). Nothing is recreated.
 */
export interface AdoptionProps {
  /**
   * Import the existing resource with this ID, in the resource's `terraform import` format.
   * @default - the resource is created
   */
  readonly importId?: string;
  /**
   * The address the resource had before, e.g. `aws_ecs_cluster.staging`.
   * @default - none
   */
  readonly movedFrom?: string;
}

/** Applies a construct's adoption props to its resource. */
export function adopt(resource: TerraformResource, props: AdoptionProps): void {
  if (props.importId !== undefined) resource.importFrom(props.importId);
  if (props.movedFrom !== undefined) resource.moveFromId(props.movedFrom);
}
