import { TerraformDataSource, TerraformStack, TerraformVariable } from 'cdktf';
import { Finding } from '../environment/rules/rule';
import { isReference } from '../kit/reference';
import { stringsIn } from '../environment/strings';

// Terraform: "The variable name … is reserved due to its special meaning inside module blocks".
const RESERVED_VARIABLES = ['source', 'version', 'providers', 'count', 'for_each', 'lifecycle', 'depends_on', 'locals'];
// Names a JavaScript object treats specially: the variable block would lose them.
const OBJECT_KEYS = ['__proto__', 'constructor', 'prototype'];

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/**
 * What a data source's attribute evaluates to in cdktf (a string token, a list of them, or a map or
 * block object), or undefined when the data source has no such attribute. Attributes are the getters
 * its generated class declares; members of the cdktf base classes (`fqn`, `node`, `count`) and the
 * `…Input` getters are not attributes.
 */
function attributeValue(source: TerraformDataSource, attribute: string): unknown {
  const name = camelCase(attribute);
  if (name.endsWith('Input')) return undefined;
  for (let proto = Object.getPrototypeOf(source); proto && proto !== TerraformDataSource.prototype; proto = Object.getPrototypeOf(proto)) {
    if (Object.getOwnPropertyDescriptor(proto, name)?.get) return (source as unknown as Record<string, unknown>)[name];
  }
  return undefined;
}

/**
 * Makes every reference of a file resolvable in its stack, or says why not: `${var.x}` declares a
 * string variable `x` (given with `-var`, `TF_VAR_x` or a .tfvars file); `${data.T.N.attr}` must name
 * a data source the stack itself declares and a string attribute of it (`[n]` a list attribute). A
 * stack generated from a file can hold nothing else, so anything else could never pass `terraform validate`.
 */
export function resolveReferences(stack: TerraformStack, config: unknown, file: string): Finding[] {
  const declared = new Map<string, TerraformDataSource>();
  for (const child of stack.node.findAll()) {
    if (child instanceof TerraformDataSource) declared.set(`data.${child.terraformResourceType}.${child.friendlyUniqueId}`, child);
  }
  const variables = new Set<string>();
  const findings: Finding[] = [];
  // Only reference fields may hold a whole reference (the rules refuse any other `${`).
  for (const { path, value } of stringsIn(config).filter((string) => isReference(string.value))) {
    const [, kind, type, name, attribute, index] = /^\$\{(var|data)\.([^.}]+)(?:\.([^.}]+)\.([^.[}]+)(\[\d+\])?)?\}$/.exec(value)!;
    const problem = kind === 'var' ? variableProblem(type) : dataSourceProblem(declared.get(`data.${type}.${name}`), `data.${type}.${name}`, attribute, index !== undefined);
    if (problem) findings.push({ path, value, message: problem });
    else if (kind === 'var') variables.add(type);
  }
  for (const name of [...variables].sort()) {
    const variable = new TerraformVariable(stack, `variable-${name}`, { type: 'string', description: `Referenced as var.${name} by ${file}.` });
    variable.overrideLogicalId(name);
  }
  return findings;
}

function variableProblem(name: string): string | undefined {
  if (RESERVED_VARIABLES.includes(name)) return `must name a variable Terraform allows: ${RESERVED_VARIABLES.join(', ')} are reserved`;
  if (OBJECT_KEYS.includes(name)) return `must name a variable other than ${OBJECT_KEYS.join(', ')}`;
  return undefined;
}

function dataSourceProblem(source: TerraformDataSource | undefined, address: string, attribute: string, indexed: boolean): string | undefined {
  if (!source) return `must reference a variable, or a data source this stack declares: it declares no ${address}`;
  const value = attributeValue(source, attribute);
  if (value === undefined) return `must reference an attribute of ${address}: it has no "${attribute}"`;
  if (indexed && !Array.isArray(value)) return `must index only a list: ${address}.${attribute} is not one`;
  if (!indexed && typeof value !== 'string') return `must reference a string: ${address}.${attribute} is a ${Array.isArray(value) ? 'list (index it, e.g. [0])' : 'map or block'}`;
  return undefined;
}
