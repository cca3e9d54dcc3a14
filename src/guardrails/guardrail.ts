/**
 * Guardrails in the style of cdk-nag: each rule is a small pure predicate over the synthesized
 * Terraform arguments of one resource (snake_case, references resolved to `${type.name.attr}`),
 * with an ID, a level, a one-line message and an explanation. They run as an Aspect (./aspect.ts).
 */
export type GuardrailLevel = 'error' | 'warning';

/** One managed resource as Terraform will see it. */
export interface ResourceView {
  /** e.g. "aws_ecs_service". */
  readonly type: string;
  /** e.g. "aws_ecs_service.stg_server". */
  readonly address: string;
  /** Arguments as synthesized: snake_case, nested blocks as objects or arrays. */
  readonly attributes: Record<string, any>;
  /** Decisions the constructs recorded on the resource, e.g. that it is public by choice (see `constructs/marks.ts`). */
  readonly marks: readonly string[];
}

/** Every managed resource of the stack, for rules that relate two resources. */
export interface StackView {
  readonly resources: readonly ResourceView[];
  /** The resource a reference like `${aws_ecs_cluster.x.arn}` points to, if it is managed here. */
  referenced(reference: unknown): ResourceView | undefined;
}

/** A problem with a field of the environment file the guardrails read (a suppression), reported like the config's. */
export interface FieldProblem {
  /** JSON path of the field, e.g. guardrails.suppress.0.id. */
  readonly path: readonly (string | number)[];
  /** What the field must be, phrased as "must …". */
  readonly message: string;
  /** The value found. */
  readonly value?: unknown;
}

/** What a rule found on one resource. */
export interface Violation {
  /** The specific problem, e.g. "environment variable DB_PASSWORD has a secret-like name". */
  readonly detail: string;
  /** The offending value. */
  readonly value?: unknown;
}

export interface GuardrailRule {
  /** Stable ID, used in suppressions: "STG-<Name>". */
  readonly id: string;
  readonly level: GuardrailLevel;
  /** One line: what must hold. */
  readonly message: string;
  /** Why, and how to fix it. */
  readonly explanation: string;
  /**
   * Whether `guardrails.suppress` may silence the rule. Rules with their own explicit
   * opt-out in the environment file (e.g. `listenerRule.access.public`) are not suppressible.
   * @default true
   */
  readonly suppressible?: boolean;
  /** The violations on one resource; empty when it complies or the rule does not apply. */
  check(resource: ResourceView, stack: StackView): Violation[];
}

/**
 * Parses a JSON-string argument (policies, container definitions); undefined when it is not JSON. The
 * argument is a Terraform template: a `${…}` whose expression quotes its own strings
 * (`${replace(data.x.y.arn, ":a/", ":b/")}`) is not JSON as written, only once Terraform has evaluated
 * it. Such text is read with each `${…}` kept, as written, in the string that holds it.
 */
export function parseJson(value: unknown): any {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(value);
  } catch {
    // a template, perhaps: read on
  }
  const expressions: string[] = [];
  const masked = maskInterpolations(value, expressions);
  if (masked === undefined || expressions.length === 0) return undefined;
  try {
    return unmask(JSON.parse(masked), expressions);
  } catch {
    return undefined;
  }
}

// Private-use characters: valid as they stand in a JSON string, and in no policy or definition the kit writes.
const MASK = /\uE000(\d+)\uE001/g;

/** The text with each `${…}` (nested braces and quoted strings inside it followed) replaced by a mark; undefined when one is left open. */
function maskInterpolations(text: string, expressions: string[]): string | undefined {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('$${', i)) {
      out += '$${';
      i += 2;
      continue;
    }
    if (!text.startsWith('${', i)) {
      out += text[i];
      continue;
    }
    let depth = 0;
    let quoted = false;
    let end = -1;
    for (let j = i + 2; j < text.length && end < 0; j++) {
      const c = text[j];
      if (quoted) {
        if (c === '\\') j++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '{') depth++;
      else if (c === '}' && depth-- === 0) end = j;
    }
    if (end < 0) return undefined;
    out += `\uE000${expressions.push(text.slice(i, end + 1)) - 1}\uE001`;
    i = end;
  }
  return out;
}

/** A parsed value with each mark put back as the `${…}` it stood for. */
function unmask(value: unknown, expressions: readonly string[]): unknown {
  if (typeof value === 'string') return value.replace(MASK, (_, index: string) => expressions[Number(index)]);
  if (Array.isArray(value)) return value.map((item) => unmask(item, expressions));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [unmask(key, expressions) as string, unmask(item, expressions)]));
  }
  return value;
}

/** A nested block as a list, whether cdktf wrote it as one object or as an array. */
export function blocks(value: unknown): Record<string, any>[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as Record<string, any>[];
}

/** IAM policy statements of a policy document, as a list. */
export function statements(policy: unknown): Record<string, any>[] {
  const document = typeof policy === 'string' ? parseJson(policy) : policy;
  return blocks(document?.Statement);
}

/** A statement's `Action` or `Resource` as a list. */
export function list(value: unknown): string[] {
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** The policy documents an IAM resource writes: a role policy's or a managed policy's, a role's inline ones. */
export function policiesOf(resource: ResourceView): unknown[] {
  const { type, attributes } = resource;
  if (type === 'aws_iam_role_policy' || type === 'aws_iam_policy') return [attributes.policy];
  if (type === 'aws_iam_role') return blocks(attributes.inline_policy).map((inline) => inline.policy);
  return [];
}
