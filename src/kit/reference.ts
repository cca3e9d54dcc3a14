/** The Terraform references the kit accepts in a value, wherever the value comes from. */

// A Terraform name (variable, resource or data source type and name, attribute): HCL identifier syntax.
const NAME = '[A-Za-z_][A-Za-z0-9_-]*';

/**
 * A whole-value Terraform reference: `${var.<name>}`, or `${data.<type>.<name>.<attribute>}` with an
 * optional `[<index>]` into a list attribute. Nothing else: no function call (`${file("~/.aws/credentials")}`
 * would read a local file at plan), no text around it, no `%{` directive. No `local.` (a stack
 * generated from a file declares none), and no managed resource of the stack (a value of the file
 * that depends on the stack's own resources can form a cycle only Terraform would find). Whether the
 * stack declares the data source, and what the attribute is, is checked once it is built
 * (`src/stack/references.ts`). The config's reference fields and the constructs' prop checks both take it.
 */
export const REFERENCE = new RegExp(`^\\$\\{(?:var\\.${NAME}|data\\.${NAME}\\.${NAME}\\.${NAME}(?:\\[\\d+\\])?)\\}$`);

/** Whether a value is one whole Terraform reference (see `REFERENCE`): resolved at apply, so value checks skip it. */
export function isReference(value: unknown): boolean {
  return typeof value === 'string' && REFERENCE.test(value);
}

/** Terraform's template syntax: an interpolation or a directive, wherever it stands in a string. */
export const TEMPLATE_SYNTAX = /\$\{|%\{/;

export const REFERENCE_RULE =
  'must be a value, or one whole reference: ${var.<name>} or ${data.<type>.<name>.<attribute>} (no functions, no text around it, no %{ directives, no resource of the stack)';
