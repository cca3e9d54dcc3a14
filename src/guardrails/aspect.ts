import { Annotations, IAspect, TerraformResource, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { marksOf } from '../constructs/marks';
import { closest } from '../kit/suggest';
import { FieldProblem, GuardrailLevel, GuardrailRule, ResourceView, StackView, Violation } from './guardrail';


/** A written exception to a rule, from the environment file's `guardrails.suppress`. */
export interface Suppression {
  /** Rule ID. */
  readonly id: string;
  /** Why the exception is acceptable. */
  readonly reason: string;
  /**
   * Resource addresses it applies to.
   * @default - every resource of the stack
   */
  readonly resources?: readonly string[];
}

export interface GuardrailFinding {
  readonly ruleId: string;
  readonly level: GuardrailLevel;
  readonly address: string;
  readonly message: string;
  readonly detail: string;
  readonly value?: unknown;
  readonly explanation: string;
  /** The reason of the suppression that silenced it, if one did. */
  readonly suppressedBecause?: string;
}

export interface GuardrailsProps {
  /** The rule pack. */
  readonly rules: readonly GuardrailRule[];
  /**
   * Written exceptions.
   * @default []
   */
  readonly suppressions?: readonly Suppression[];
}

/**
 * Applies a rule pack to every managed resource of a stack. Findings are collected (for the synth
 * report) and also added as cdktf annotations, so an error stops a plain `cdktf synth` too.
 * Visiting twice is harmless: each resource is checked once.
 */
export class Guardrails implements IAspect {
  private readonly rules: readonly GuardrailRule[];
  private readonly suppressions: readonly Suppression[];
  private readonly checked = new Set<string>();
  private readonly views = new WeakMap<TerraformStack, StackView>();
  private readonly found: GuardrailFinding[] = [];
  private readonly used = new Set<Suppression>();

  constructor(props: GuardrailsProps) {
    this.rules = props.rules;
    this.suppressions = props.suppressions ?? [];
  }

  /** Findings so far, suppressed ones included (see `suppressedBecause`). */
  public get findings(): readonly GuardrailFinding[] {
    return this.found;
  }

  /**
   * Suppressions that name no rule of the pack, or a rule that cannot be suppressed (its opt-out is a
   * field of the file): errors at synth, on `guardrails.suppress.<index>.id`.
   */
  public get invalidSuppressions(): readonly FieldProblem[] {
    const suppressible = this.rules.filter((rule) => rule.suppressible !== false).map((rule) => rule.id);
    return this.suppressions.flatMap((suppression, index): FieldProblem[] => {
      const rule = this.rules.find((candidate) => candidate.id === suppression.id);
      if (rule && rule.suppressible !== false) return [];
      const hint = rule ? `${rule.id} cannot be suppressed (its opt-out is a field of the file)` : `there is no ${suppression.id}${closest(suppression.id, suppressible) ? `; did you mean ${closest(suppression.id, suppressible)}?` : ''}`;
      return [{ path: ['guardrails', 'suppress', index, 'id'], message: `must name a suppressible guardrail rule: ${hint}; they are ${suppressible.join(', ')}`, value: suppression.id }];
    });
  }

  /** Suppressions that matched no finding: probably stale, or a typo in an address. */
  public get unusedSuppressions(): readonly Suppression[] {
    return this.suppressions.filter((suppression) => !this.used.has(suppression));
  }

  public visit(node: IConstruct): void {
    if (!TerraformResource.isTerraformResource(node) || this.checked.has(node.node.path)) return;
    this.checked.add(node.node.path);
    const owner = TerraformStack.of(node);
    let stack = this.stackView(owner);
    let resource = stack.resources.find((view) => view.address === addressOf(node));
    if (!resource) {
      // added after the view was built (a staging stack is locked once rendered, so not there): see it now
      this.views.delete(owner);
      stack = this.stackView(owner);
      resource = stack.resources.find((view) => view.address === addressOf(node))!;
    }
    for (const rule of this.rules) {
      for (const violation of checkSafely(rule, resource, stack)) {
        const suppression = rule.suppressible === false ? undefined : this.suppressionFor(rule.id, resource.address);
        const finding: GuardrailFinding = {
          ruleId: rule.id,
          level: rule.level,
          address: resource.address,
          message: rule.message,
          detail: violation.detail,
          value: violation.value,
          explanation: rule.explanation,
          suppressedBecause: suppression?.reason,
        };
        this.found.push(finding);
        if (suppression) {
          this.used.add(suppression);
          continue;
        }
        const text = `${rule.id}: ${rule.message}: ${violation.detail}`;
        if (rule.level === 'error') Annotations.of(node).addError(text);
        else Annotations.of(node).addWarning(text);
      }
    }
  }

  private suppressionFor(id: string, address: string): Suppression | undefined {
    return this.suppressions.find((s) => s.id === id && (s.resources === undefined || s.resources.includes(address)));
  }

  private stackView(stack: TerraformStack): StackView {
    let view = this.views.get(stack);
    if (!view) {
      view = buildStackView(stack);
      this.views.set(stack, view);
    }
    return view;
  }
}

/**
 * A rule's violations; a rule that throws is a violation of its own (as cdk-nag reports "rule threw
 * an error"), so one broken rule neither crashes synth nor passes silently. Its level is the rule's,
 * and a suppression of the rule covers it, like any finding.
 */
function checkSafely(rule: GuardrailRule, resource: ResourceView, stack: StackView): readonly Violation[] {
  try {
    return rule.check(resource, stack);
  } catch (error) {
    return [{ detail: `the rule threw an error, so this resource is unchecked: ${String((error as Error)?.message ?? error).split('\n')[0]}` }];
  }
}

function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}

function buildStackView(stack: TerraformStack): StackView {
  // The stack's JSON as synth writes it (a StagingStack renders it once, for both).
  const rendered: { resource?: Record<string, Record<string, Record<string, any>>> } = stack.toTerraform();
  const resources: ResourceView[] = stack.node
    .findAll()
    .filter(TerraformResource.isTerraformResource)
    .map((resource) => {
      const attributes = rendered.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId] ?? {};
      const marks = marksOf(resource);
      return { type: resource.terraformResourceType, address: addressOf(resource), attributes, marks };
    });
  return {
    resources,
    referenced(reference) {
      const match = typeof reference === 'string' ? /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(reference) : null;
      return match ? resources.find((resource) => resource.address === match[1]) : undefined;
    },
  };
}
