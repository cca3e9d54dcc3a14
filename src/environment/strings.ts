/** One string of a parsed file, where it stands. */
export interface StringAt {
  readonly path: (string | number)[];
  readonly value: string;
}

/** Every string value of a parsed file (or a part of it), with its JSON path, in the file's order. */
export function stringsIn(value: unknown, path: (string | number)[] = []): StringAt[] {
  if (typeof value === 'string') return [{ path, value }];
  if (Array.isArray(value)) return value.flatMap((item, index) => stringsIn(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => stringsIn(item, [...path, key]));
  return [];
}
