import * as fs from 'node:fs';
import * as path from 'node:path';

// The documentation a user reads first: every command it names must exist, and every file it links
// must be in the repository (users have the repository, nothing beside it).

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

  test('the quick start of README.ja.md is exactly `npm ci && npm run synth` and `npm test`', () => {
    // GIVEN the Japanese README
    const text = read('README.ja.md');
    // WHEN the first code block of its クイックスタート section is read
    const commands = firstCodeBlockOfSection(text, 'クイックスタート');
    // THEN it holds the two commands, and nothing else
    expect(commands).toEqual(['npm ci && npm run synth', 'npm test']);
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
