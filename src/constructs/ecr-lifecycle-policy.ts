import { EcrLifecyclePolicy as EcrLifecyclePolicyResource } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { Construct } from 'constructs';
import { ADDRESS, ARTICLE, ecrLifecycleDescription } from '../kit/defaults';
import { adopt, AdoptionProps } from './adoption';

export interface EcrLifecyclePolicyProps extends AdoptionProps {
  /** Name of the existing staging ECR repository. It is referenced, never managed. */
  readonly repository: string;
  /**
   * Tag prefix of the images the rule applies to.
   * @default "stg"
   */
  readonly tagPrefix?: string;
  /**
   * How many of the newest tagged images to keep.
   * @default 1
   */
  readonly keepImages?: number;
  /**
   * Rule description.
   * @default - the article's "最新の1イメージを残す" ("keep the newest 1 image") for one image, else the
   * same sentence with `keepImages` ("最新の2イメージを残す")
   */
  readonly description?: string;
  /**
   * Images under another tag prefix to expire some days after their push, e.g. previews' `pr-`.
   * @default - none
   */
  readonly expire?: { readonly tagPrefix: string; readonly afterDays: number };
}

/** Article section 7: `aws_ecr_lifecycle_policy.stg-server-lifecycle_policy`. */
export class EcrLifecyclePolicy extends Construct {
  public readonly resource: EcrLifecyclePolicyResource;

  constructor(scope: Construct, id: string, props: EcrLifecyclePolicyProps) {
    super(scope, id);
    const defaults = ARTICLE.ecrLifecycle;
    // Built from an object: the article's heredoc holds a `//` comment, which is not JSON.
    const policy = {
      rules: [
        {
          rulePriority: defaults.rulePriority,
          description: props.description ?? ecrLifecycleDescription(props.keepImages ?? defaults.keepImages),
          selection: {
            tagStatus: 'tagged',
            tagPrefixList: [props.tagPrefix ?? defaults.tagPrefix],
            countType: 'imageCountMoreThan',
            countNumber: props.keepImages ?? defaults.keepImages,
          },
          action: { type: 'expire' },
        },
        ...(props.expire
          ? [
              {
                rulePriority: defaults.rulePriority + 1,
                description: `expire ${props.expire.tagPrefix}* images ${props.expire.afterDays} days after their push`,
                selection: { tagStatus: 'tagged', tagPrefixList: [props.expire.tagPrefix], countType: 'sinceImagePushed', countUnit: 'days', countNumber: props.expire.afterDays },
                action: { type: 'expire' },
              },
            ]
          : []),
      ],
    };
    this.resource = new EcrLifecyclePolicyResource(this, 'Resource', {
      repository: props.repository,
      policy: JSON.stringify(policy),
    });
    this.resource.overrideLogicalId(ADDRESS.ecrLifecyclePolicy);
    adopt(this.resource, props);
  }
}
