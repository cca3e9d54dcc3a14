/** The day-2 commands' arguments: `<stack>`, flags, `--option value` (or `--option=value`), and what follows `--`. Pure. */

export interface Arguments {
  readonly positional: readonly string[];
  readonly flags: ReadonlySet<string>;
  readonly options: Readonly<Record<string, string>>;
  /** Everything after a `--` (exec's command). */
  readonly rest: readonly string[];
}

/** Parses `argv`; anything unknown, a missing value, or a repeated option throws `usage` as one line. */
export function parseArguments(argv: readonly string[], spec: { readonly flags?: readonly string[]; readonly options?: readonly string[] }, usage: string): Arguments {
  const flags = new Set<string>();
  const options: Record<string, string> = {};
  const positional: string[] = [];
  const separator = argv.indexOf('--');
  const own = separator < 0 ? argv : argv.slice(0, separator);
  const rest = separator < 0 ? [] : argv.slice(separator + 1);
  for (let index = 0; index < own.length; index++) {
    const arg = own[index];
    if (!arg.startsWith('-')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (spec.flags?.includes(name) && inline === undefined) {
      flags.add(name);
    } else if (spec.options?.includes(name)) {
      const value = inline ?? own[++index];
      if (value === undefined || value === '' || (inline === undefined && value.startsWith('-'))) throw new Error(`${usage}: ${name} needs a value`);
      if (name in options) throw new Error(`${usage}: ${name} is given twice`);
      options[name] = value;
    } else {
      throw new Error(`${usage}: unknown option ${arg}`);
    }
  }
  return { positional, flags, options, rest };
}
