import { Finding } from './rules/rule';

/** Marks a value `npm run new` leaves for the team to fill in: `"REPLACE: your listener's ARN"`. */
const PREFIX = 'REPLACE: ';

/** A placeholder asking for `what`. */
export function placeholder(what: string): string {
  return `${PREFIX}${what}`;
}

/** Every placeholder still in a parsed file, as a finding that says what to write there. */
export function placeholdersIn(value: unknown, path: (string | number)[] = []): Finding[] {
  if (typeof value === 'string') {
    return value.startsWith(PREFIX) ? [{ path, message: `is still a placeholder: replace it with ${value.slice(PREFIX.length)}` }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => placeholdersIn(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => placeholdersIn(item, [...path, key]));
  }
  return [];
}
