import * as fs from 'node:fs';
import * as path from 'node:path';
import { STAGING_RULES } from '../src/guardrails/pack';

// The documentation a user reads first: every command it names must exist, and every file it links
// must be in the repository (users have the repository, nothing beside it). The README is the front
// door (short, the two commands, every command, links into docs/); docs/ is the manual.

const ROOT = path.resolve(__dirname, '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Markdown files of the repository root and of docs/, relative to the root. */
function markdownFiles(): string[] {
  const root = fs.readdirSync(ROOT).filter((name) => name.endsWith('.md'));
  const docsDir = path.join(ROOT, 'docs');
  const docs = fs.existsSync(docsDir)
    ? fs.readdirSync(docsDir, { recursive: true, encoding: 'utf8' })
        .filter((name) => name.endsWith('.md'))
        .map((name) => path.posix.join('docs', name.split(path.sep).join('/')))
    : [];
  return [...root, ...docs].sort();
}

/** The script names of `npm run <name>` in a text (`npm test` and `npm ci` are npm's own commands). */
function npmRunNames(text: string): string[] {
  return [...new Set([...text.matchAll(/\bnpm run ([A-Za-z0-9][\w:-]*)/g)].map((match) => match[1]))].sort();
}

/** The text with fenced code blocks removed and inline code spans blanked: only prose can link. */
function proseOf(markdown: string): string {
  return markdown
    .replace(/^ *(```|~~~)[^\n]*\n[\s\S]*?^ *\1 *$/gm, '')
    .replace(/(`+)[^`\n]*?\1/g, 'code');
}

/** Link targets in Markdown prose: inline `[text](target)`, images, and reference definitions. */
function linkTargets(markdown: string): string[] {
  const prose = proseOf(markdown);
  const inline = [...prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((match) => match[1]);
  const references = [...prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((match) => match[1]);
  return [...inline, ...references];
}

/** A link into the repository: no scheme (https:, mailto:), not protocol-relative, not an anchor on the same page. */
const isRelative = (target: string): boolean => !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) && !target.startsWith('//') && !target.startsWith('#');

/** The first fenced code block of the `## <heading>` section, as its non-empty lines. */
function firstCodeBlockOfSection(markdown: string, heading: string): string[] | undefined {
  const start = markdown.search(new RegExp(`^## ${heading} *$`, 'm'));
  if (start < 0) return undefined;
  const rest = markdown.slice(start).split('\n').slice(1).join('\n');
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  const block = /^ *(```|~~~)[^\n]*\n([\s\S]*?)^ *\1 *$/m.exec(section);
  return block?.[2].split('\n').map((line) => line.trim()).filter((line) => line !== '');
}

/** The text with fenced code blocks removed (headings and anchors inside them are not the page's). */
function withoutFences(markdown: string): string {
  return markdown.replace(/^ *(```|~~~)[^\n]*\n[\s\S]*?^ *\1 *$/gm, '');
}

/** GitHub's anchor of a heading: its text as shown, lower case, without punctuation, spaces as hyphens. */
function slug(heading: string): string {
  const shown = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .trim()
    .toLowerCase();
  return shown.replace(/[^\p{L}\p{M}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

/** The anchors a Markdown page has: its headings' (duplicates numbered, as GitHub does) and explicit `<a id>`/`<a name>`. */
function anchorsOf(markdown: string): Set<string> {
  const text = withoutFences(markdown);
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const match of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$/gm)) {
    const base = slug(match[1]);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
  return anchors;
}

/** The rows of the first Markdown table under the `## <heading>` section, as their cells. */
function tableOfSection(markdown: string, heading: string): string[][] {
  const start = markdown.search(new RegExp(`^## ${heading} *$`, 'm'));
  if (start < 0) return [];
  const rest = markdown.slice(start).split('\n').slice(1).join('\n');
  const end = rest.search(/^## /m);
  const section = end < 0 ? rest : rest.slice(0, end);
  return section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[\s|:-]+\|$/.test(line))
    .slice(1)
    .map((line) => line.replace(/\\\|/g, '\u0000').split('|').slice(1, -1).map((cell) => cell.replace(/\u0000/g, '|').trim()));
}

/** Relative links of the READMEs and docs/*.md: the file each is in, the target, and what it resolves to. */
function relativeLinks(): { file: string; target: string; resolved: string; anchor: string | undefined }[] {
  const files = ['README.md', 'README.ja.md', ...markdownFiles().filter((file) => file.startsWith('docs/'))];
  return files.flatMap((file) =>
    linkTargets(read(file))
      .filter((target) => !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(target) && !target.startsWith('//'))
      .map((target) => {
        const hash = target.indexOf('#');
        const anchor = hash < 0 ? undefined : decodeURIComponent(target.slice(hash + 1));
        const relative = decodeURI(target.replace(/[?#].*$/, ''));
        const resolved = relative === '' ? path.join(ROOT, file) : relative.startsWith('/') ? path.join(ROOT, relative) : path.resolve(ROOT, path.dirname(file), relative);
        return { file, target, resolved, anchor };
      }),
  );
}

describe('documentation', () => {
  const scripts = Object.keys(JSON.parse(read('package.json')).scripts as Record<string, string>);

  test.each(['README.md', 'README.ja.md'])('every `npm run <name>` in %s is a script of package.json', (file) => {
    // GIVEN the README's text
    const text = read(file);
    // WHEN the script names it runs are collected
    const names = npmRunNames(text);
    // THEN it names some, and package.json defines each of them
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  test('every `npm run <name>` in docs/*.md is a script of package.json (but the generated reference)', () => {
    // GIVEN the manual's pages, but docs/environment-file.md: its text is the schema's descriptions,
    // written by `npm run docs` and checked by its own suite (__tests__/docs/environment-file.test.ts)
    const pages = markdownFiles().filter((file) => file.startsWith('docs/') && file !== 'docs/environment-file.md');
    // WHEN the script names they run are collected, page by page
    const unknown = pages.flatMap((file) => npmRunNames(read(file)).filter((name) => !scripts.includes(name)).map((name) => `${file}: npm run ${name}`));
    // THEN package.json defines each of them
    expect(pages.length).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });

  test('the quick start of README.ja.md is exactly `npm ci && npm run synth` and `npm test`', () => {
    // GIVEN the Japanese README
    const text = read('README.ja.md');
    // WHEN the first code block of its クイックスタート section is read
    const commands = firstCodeBlockOfSection(text, 'クイックスタート');
    // THEN it holds the two commands, and nothing else
    expect(commands).toEqual(['npm ci && npm run synth', 'npm test']);
  });

  test('README.md is a front door: at most 250 lines, and its quick start is exactly `npm ci && npm run synth` and `npm test`', () => {
    // GIVEN the README
    const text = read('README.md');
    // WHEN its lines are counted and the first code block of its Quick start section is read
    const lines = text.replace(/\n$/, '').split('\n').length;
    const commands = firstCodeBlockOfSection(text, 'Quick start');
    // THEN it is short, and the quick start holds the two commands, and nothing else
    expect(lines).toBeLessThanOrEqual(250);
    expect(commands).toEqual(['npm ci && npm run synth', 'npm test']);
  });

  test("README.md's commands table names every script of package.json, and docs/commands.md describes each", () => {
    // GIVEN the Commands section of the README and the commands page of the manual
    const named = (rows: string[][]) => new Set(rows.flatMap(([command]) => [...command.matchAll(/`npm (?:run ([\w:-]+)|(test))\b/g)].map((match) => match[1] ?? match[2])));
    const readme = named(tableOfSection(read('README.md'), 'Commands'));
    const manual = named(tableOfSection(`## Commands\n${read('docs/commands.md').replace(/^# Commands\n/, '')}`, 'Commands'));
    // WHEN the scripts of package.json are looked up in both
    const missing = (found: Set<string>) => scripts.filter((name) => !found.has(name));
    // THEN each has a row in both
    expect(readme.size).toBeGreaterThan(0);
    expect({ 'README.md': missing(readme), 'docs/commands.md': missing(manual) }).toEqual({ 'README.md': [], 'docs/commands.md': [] });
  });

  test('docs/guardrails.md has one row for every guardrail rule of the pack, at its level, and none for a rule it lacks', () => {
    // GIVEN the table of docs/guardrails.md
    const rows = read('docs/guardrails.md')
      .split('\n')
      .filter((line) => /^\| `STG-[A-Za-z]+` \|/.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    const documented = rows.map(([, id, level]) => `${id.replace(/`/g, '')} ${level}`);
    // WHEN it is compared with the rules synth applies
    const rules = STAGING_RULES.map((rule) => `${rule.id} ${rule.level}`);
    // THEN they are the same, one row each
    expect([...documented].sort()).toEqual([...rules].sort());
  });

  test('every #anchor of a relative link, to a Markdown page or on the same page, is a heading or an anchor of that page', () => {
    // GIVEN the relative links with an anchor into Markdown
    const links = relativeLinks().filter(({ anchor, resolved }) => anchor !== undefined && anchor !== '' && resolved.endsWith('.md') && fs.existsSync(resolved));
    // WHEN each anchor is looked up among its page's anchors
    const broken = links.filter(({ anchor, resolved }) => !anchorsOf(fs.readFileSync(resolved, 'utf8')).has(anchor!)).map(({ file, target }) => `${file} → ${target}`);
    // THEN there are some, and each exists
    expect(links.length).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });

  test('no Markdown file in the repository root or docs/ refers to ../shared, which users do not have', () => {
    // GIVEN every Markdown file of the root and of docs/
    const files = markdownFiles();
    // WHEN each line is searched for a path into ../shared (in links, code spans or prose alike)
    const found = files.flatMap((file) =>
      read(file).split('\n').flatMap((line, index) => (/\.\.\/shared\b/.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    // THEN there is none
    expect(files).toEqual(expect.arrayContaining(['README.md', 'README.ja.md', 'docs/reference-design.md']));
    expect(found).toEqual([]);
  });

  test('every relative link in README.md, README.ja.md and docs/*.md points at a file that exists', () => {
    // GIVEN the READMEs and the docs pages
    const files = ['README.md', 'README.ja.md', ...markdownFiles().filter((file) => file.startsWith('docs/'))];
    // WHEN each relative link target (without its #anchor or ?query) is resolved from its file's directory
    const links = files.flatMap((file) =>
      linkTargets(read(file)).filter(isRelative).map((target) => {
        const relative = decodeURI(target.replace(/[?#].*$/, ''));
        const resolved = relative.startsWith('/') ? path.join(ROOT, relative) : path.resolve(ROOT, path.dirname(file), relative);
        return { link: `${file} → ${target}`, exists: fs.existsSync(resolved) };
      }),
    );
    // THEN there are some, and each target exists
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter(({ exists }) => !exists).map(({ link }) => link)).toEqual([]);
  });
});
