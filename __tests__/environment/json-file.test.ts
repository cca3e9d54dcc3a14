import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MAX_DEPTH, MAX_FILE_BYTES, MAX_LIST_LENGTH, MAX_STRING_LENGTH, parseJson, readJsonFile } from '../../src/environment/json-file';
import { loadEnvironments, readEnvironments } from '../../src/environment/load';
import { fixtureJson } from '../support/environments';

/** One case per way a file's bytes can be wrong: each is one error line with the file, where, and what to do. */
const TEXT_CASES: { name: string; text: string; error: RegExp }[] = [
  { name: 'a // comment', text: '{\n  // staging\n  "region": "x"\n}', error: /^f\.json: \(file\): invalid JSON: a comment; JSON has no comments \(line 2, column 3\)$/ },
  { name: 'a # comment', text: '{ # staging\n}', error: /a comment; JSON has no comments \(line 1, column 3\)$/ },
  { name: 'a trailing comma', text: '{\n  "region": "x",\n}', error: /a trailing comma; JSON allows none before a closing bracket \(line 3, column 1\)$/ },
  { name: 'NaN', text: '{"a": NaN}', error: /"NaN" is not a JSON number; write digits, as 0\.5 or 10 \(line 1, column 7\)$/ },
  { name: 'Infinity', text: '{"a": Infinity}', error: /"Infinity" is not a JSON number/ },
  { name: 'a leading +', text: '{"a": +1}', error: /"\+1" is not a JSON number/ },
  { name: 'a leading .', text: '{"a": .5}', error: /"\.5" is not a JSON number/ },
  { name: 'two values', text: '{}\n{}', error: /more after the end of the value; a file holds one object \(line 2, column 1\)$/ },
  { name: 'a missing bracket', text: '{"a": 1', error: /the file ends early; a bracket or a quote is missing \(line 1, column 8\)$/ },
  { name: 'an empty file', text: '', error: /invalid JSON: the file ends early/ },
  { name: 'a duplicate key', text: '{"a": 1,\n "b": {"c": 1, "c": 2}}', error: /^f\.json: b\.c: duplicate key "c" \(line 2, column 16; first at line 2, column 8\): JSON parsers keep one of the two, so write it once$/ },
  { name: '__proto__', text: '{"s": {"__proto__": "x"}}', error: /^f\.json: s\.__proto__: the key "__proto__" is not allowed anywhere: .* \(line 1, column 8\)$/ },
  { name: 'constructor', text: '{"constructor": {}}', error: /^f\.json: constructor: the key "constructor" is not allowed anywhere/ },
  { name: 'prototype', text: '{"a": [{"prototype": 1}]}', error: /^f\.json: a\.0\.prototype: the key "prototype" is not allowed anywhere/ },
  { name: 'a number too large (1e309)', text: '{"a": 1e309}', error: /^f\.json: a: the number 1e309 is too large for a JSON number/ },
  { name: 'a number too small (1e-400)', text: '{"a": 1e-400}', error: /^f\.json: a: the number 1e-400 is too small: it would read as 0/ },
  { name: 'an integer past 2^53', text: '{"a": 9007199254740993}', error: /^f\.json: a: the number 9007199254740993 cannot be held exactly/ },
  { name: 'nesting 100,000 deep', text: `{"a":${'['.repeat(100000)}${']'.repeat(100000)}}`, error: new RegExp(`^f\\.json: \\(file\\): nested more than ${MAX_DEPTH} levels deep \\(line 1, column ${5 + MAX_DEPTH}\\)$`) },
  { name: 'a long string', text: JSON.stringify({ a: 'x'.repeat(MAX_STRING_LENGTH + 1) }), error: new RegExp(`^f\\.json: a: a string of ${MAX_STRING_LENGTH + 1} characters, more than ${MAX_STRING_LENGTH}`) },
  { name: 'a long list', text: JSON.stringify({ a: Array(MAX_LIST_LENGTH + 1).fill(1) }), error: new RegExp(`^f\\.json: a: a list of ${MAX_LIST_LENGTH + 1} entries, more than ${MAX_LIST_LENGTH}`) },
];

describe('the environment file format', () => {
  test.each(TEXT_CASES)('$name is one error line, with where and what to do', ({ text, error }) => {
    // WHEN
    const result = parseJson('f.json', text);
    // THEN
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(error);
    expect(errors[0]).not.toContain('\n');
  });

  test('limits at their bound are accepted: depth, string and list length', () => {
    const nested = `${'['.repeat(MAX_DEPTH - 1)}${']'.repeat(MAX_DEPTH - 1)}`;
    const text = `{"deep": ${nested}, "s": ${JSON.stringify('x'.repeat(MAX_STRING_LENGTH))}, "l": ${JSON.stringify(Array(MAX_LIST_LENGTH).fill(0))}, "n": 9007199254740991, "f": 0.1, "z": 0e5}`;
    expect(parseJson('f.json', text).ok).toBe(true);
  });

  test('every duplicate and forbidden key of a file is reported, not only the first', () => {
    const result = parseJson('f.json', '{"a": 1, "a": 2, "b": {"__proto__": 1, "x": 1, "x": 2}}');
    expect(result.ok ? [] : result.errors.map((line) => line.split(': ')[1])).toEqual(['a', 'b.__proto__', 'b.x']);
  });

  describe('bytes that are not UTF-8 JSON text', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-json-'));
    const write = (name: string, bytes: Buffer) => {
      fs.writeFileSync(path.join(dir, name), bytes);
      return path.join(dir, name);
    };
    test.each([
      ['a UTF-8 byte-order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}')]), /the file starts with a byte-order mark; save it as UTF-8 without one$/],
      ['UTF-16', Buffer.from('\ufeff{}', 'utf16le'), /the file is UTF-16 \(or binary\), not UTF-8; save it as UTF-8$/],
      ['an invalid UTF-8 byte', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), /invalid UTF-8 \(line 1, column 7\); save the file as UTF-8$/],
      ['more than the size cap', Buffer.alloc(MAX_FILE_BYTES + 1, 0x20), new RegExp(`${MAX_FILE_BYTES + 1} bytes, more than the ${MAX_FILE_BYTES} an environment file may have$`)],
    ])('%s', (name, bytes, error) => {
      const file = write(`${name.replace(/\W+/g, '-')}.json`, bytes);
      const result = readJsonFile(file);
      expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(error)]);
      expect(result.ok ? '' : result.errors[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: \\(file\\): `));
    });
  });

  test('a named pipe among the environment files is refused at once, not read (it would block synth)', () => {
    // GIVEN a team's directory with a valid file and a named pipe named like one
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-fifo-'));
    fs.writeFileSync(path.join(dir, 'stg.json'), JSON.stringify(fixtureJson('stg')));
    execFileSync('mkfifo', [path.join(dir, 'pipe.json')]);
    // WHEN
    const result = loadEnvironments(dir);
    // THEN
    expect(result.ok ? [] : result.errors).toEqual([`${path.join(dir, 'pipe.json')}: (file): not a regular file (a named pipe); an environment file must be one`]);
  });

  test('a directory named like an environment file is refused, not crashed on', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-dir-'));
    fs.mkdirSync(path.join(dir, 'stg.json'));
    expect(loadEnvironments(dir)).toEqual({ ok: false, errors: [`${path.join(dir, 'stg.json')}: (file): not a regular file (a directory); an environment file must be one`] });
  });

  test('a secret under "__proto__" is an error, never a secret that silently vanishes', () => {
    // GIVEN the stg fixture with one more secret, written under __proto__
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-proto-'));
    const text = JSON.stringify(fixtureJson('stg'), null, 2).replace('"secrets": {', '"secrets": {\n "__proto__": {"DB_PASSWORD": "/stg/db"},');
    fs.writeFileSync(path.join(dir, 'stg.json'), text);
    // WHEN
    const result = loadEnvironments(dir);
    // THEN
    expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(/stg\.json: taskDefinition\.container\.secrets\.__proto__: the key "__proto__" is not allowed anywhere/)]);
  });

  test('a value with terminal control characters is shown escaped, never sent to the terminal', () => {
    // GIVEN a target group name that would clear the screen, and a key that would reorder the line
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-tty-'));
    const config = fixtureJson('stg');
    config.targetGroup.name = 'stg\u001b[2J\u2028\u009b';
    fs.writeFileSync(path.join(dir, 'stg.json'), JSON.stringify(config).replace('{', '{"\u202eab": 1, "\u202eab": 2,'));
    // WHEN
    const errors = [...(loadEnvironments(dir) as { errors: string[] }).errors, ...(parseJson('f.json', JSON.stringify(config)) as { errors?: string[] }).errors ?? []];
    const shape = loadEnvironments((() => {
      const other = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-tty-'));
      fs.writeFileSync(path.join(other, 'stg.json'), JSON.stringify(config));
      return other;
    })());
    // THEN
    expect(errors).toEqual([expect.stringMatching(/: \\u202eab: duplicate key "\\u202eab"/)]);
    expect(shape.ok ? [] : shape.errors).toEqual([expect.stringContaining('targetGroup.name: ')]);
    expect(shape.ok ? '' : shape.errors[0]).toContain('(got "stg\\u001b[2J\\u2028\\u009b")');
    for (const line of [...errors, ...(shape.ok ? [] : shape.errors)]) expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u202e]/);
  });

  test('files that look like environment files but are not read get a warning each, with the fix', () => {
    // GIVEN a valid file, and three that synth would skip
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-lookalike-'));
    fs.writeFileSync(path.join(dir, 'stg.json'), JSON.stringify(fixtureJson('stg')));
    for (const name of ['preview.JSON', 'other.json ', 'x.schema.json', 'environment.schema.json', 'notes.txt']) fs.writeFileSync(path.join(dir, name), '{}');
    // WHEN
    const report = readEnvironments(dir);
    // THEN
    expect(report.files.map((file) => file.name)).toEqual(['stg']);
    expect(report.notRead).toEqual([
      // quoted, so that the space shows
      `${JSON.stringify(path.join(dir, 'other.json '))}: (file): not read: its name has spaces around it; rename it to "other.json" to have it read`,
      `${path.join(dir, 'preview.JSON')}: (file): not read: environment files end in ".json", in lower case; rename it to "preview.json" to have it read`,
      `${path.join(dir, 'x.schema.json')}: (file): not read: a "*.schema.json" file is a JSON Schema, not an environment; rename it if it is one`,
    ]);
  });
});
