import { Finding } from './rules/rule';
import { stringsIn } from './strings';

/** Marks a value `npm run new` leaves for the team to fill in: `"REPLACE: your listener's ARN"`. */
const PREFIX = 'REPLACE: ';

/** A placeholder asking for `what`. */
export function placeholder(what: string): string {
  return `${PREFIX}${what}`;
}

/** Every placeholder still in a parsed file, as a finding that says what to write there. */
export function placeholdersIn(value: unknown): Finding[] {
  return stringsIn(value)
    .filter((string) => string.value.startsWith(PREFIX))
    .map(({ path, value: text }) => ({ path, message: `is still a placeholder: replace it with ${text.slice(PREFIX.length)}` }));
}
