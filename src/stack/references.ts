import { TerraformDataSource, TerraformResource, TerraformStack, TerraformVariable } from 'cdktf';
import { isReference } from '../environment/rules/rule';
import { Finding } from '../environment/rules/rule';

/** One whole reference of a file, where it stands. */
interface Reference {
  readonly path: readonly (string | number)[];
  readonly value: string;
}

/** Every whole reference in a config (only reference fields may hold one; the rules refuse any other `${`). */
function referencesIn(value: unknown, path: (string | number)[] = []): Reference[] {
  if (typeof value === 'string') return isReference(value) ? [{ path, value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => referencesIn(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => referencesIn(item, [...path, key]));
  return [];
}

const camelCase = (name: string) => name.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());

/**
 * Makes every reference of a file resolvable in its stack, or says why not: `${var.x}` declares a
 * string variable `x` (given with `-var`, `TF_VAR_x` or a .tfvars file); `${data.T.N.attr}` and
 * `${T.N.attr}` must name a data source or resource the stack itself declares, and one of its
 * attributes. A stack generated from a file can hold nothing else, so anything else could never pass
 * `terraform validate`.
 */
export function resolveReferences(stack: TerraformStack, config: unknown, file: string): Finding[] {
  const declared = new Map<string, TerraformResource | TerraformDataSource>();
  for (const child of stack.node.findAll()) {
    if (child instanceof TerraformDataSource) declared.set(`data.${child.terraformResourceType}.${child.friendlyUniqueId}`, child);
    else if (child instanceof TerraformResource) declared.set(`${child.terraformResourceType}.${child.friendlyUniqueId}`, child);
  }
  const variables = new Set<string>();
  const findings: Finding[] = [];
  for (const { path, value } of referencesIn(config)) {
    const parts = value.slice(2, -1).split(/[.[]/);
    if (parts[0] === 'var') {
      variables.add(parts[1]);
      continue;
    }
    const [address, attribute] = parts[0] === 'data' ? [parts.slice(0, 3).join('.'), parts[3]] : [parts.slice(0, 2).join('.'), parts[2]];
    const target = declared.get(address);
    if (!target) {
      const kind = address.startsWith('data.') ? 'data source' : 'resource';
      findings.push({ path, value, message: `must reference a variable, or a ${kind} this stack declares: it declares no ${address} (see ${file}'s stack in cdktf.out)` });
    } else if (!(camelCase(attribute) in target)) {
      findings.push({ path, value, message: `must reference an attribute of ${address}: it has no "${attribute}"` });
    }
  }
  for (const name of [...variables].sort()) {
    const variable = new TerraformVariable(stack, `variable-${name}`, { type: 'string', description: `Referenced as var.${name} by ${file}.` });
    variable.overrideLogicalId(name);
  }
  return findings;
}
