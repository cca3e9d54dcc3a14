import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { consentLines, consentOf } from '../../src/environment/consent';
import { loadEnvironmentFile } from '../../src/environment/load';
import { synthesize } from '../../src/synth/synth';
import { setPath, tempProject } from '../support/environments';
import { resynth } from '../support/resynth';
import { PROJECT_ROOT } from '../support/paths';

/**
 * `service.database.access: "clone"` and `previews.database.access: "clone"` (issue 27) on the stg
 * example, examples/stg.json: each file that breaks one of the clone's rules stops synth with one line,
 * "error: <file>: <field>: <rule> (got <value>)", naming service.database, and writes nothing; the
 * budget of clones per source is a warning past 15 and an error past the Region's cluster quota.
 */

const EXAMPLE = path.join(PROJECT_ROOT, 'examples', 'stg.json');
const example = (): Record<string, any> => JSON.parse(fs.readFileSync(EXAMPLE, 'utf8'));

const CLONE = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', access: 'clone', clone: { mask: 'db/mask.sql' } };
const INSTANCE = { engine: 'postgres', instanceIdentifier: 'prod-pg', databaseName: 'app', access: 'clone', clone: { mask: 'db/mask.sql' } };
const READ_ONLY = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: 'staging_reader', iamAuth: true };
/** The example's own DB_PASSWORD (production's secret) is the kit's variable once staging connects to a clone. */
const NO_CONTAINER_SECRETS = { 'taskDefinition.container.secrets': undefined };

/** The example with `database` in service.database, without its own DB_PASSWORD, and further changes at dotted paths. */
function exampleWith(database: Record<string, unknown>, set: Record<string, unknown> = {}): Record<string, any> {
  const config = setPath(example(), 'service.database', structuredClone(database));
  for (const [dotted, value] of Object.entries({ ...NO_CONTAINER_SECRETS, ...set })) setPath(config, dotted, value);
  return config;
}

interface Case {
  readonly name: string;
  readonly config: () => Record<string, any>;
  readonly field: string;
  readonly message: RegExp;
  readonly got?: unknown;
}

describe('the clone on the stg example: one line per broken rule, and cdktf.out untouched', () => {
  // GIVEN a project whose previous synth of the example, with a masked clone, left output behind
  const project = tempProject({ stg: exampleWith(CLONE) });
  const file = path.join(project.environmentsDir, 'stg.json');
  beforeAll(() => {
    const errors: string[] = [];
    expect(synthesize({ ...project, info: () => undefined, error: (line) => errors.push(line), warn: () => undefined }).exitCode).toBe(0);
    expect(errors).toEqual([]);
  });
  afterAll(() => fs.rmSync(project.root, { recursive: true, force: true }));

  const synthOf = (config: Record<string, any>) => resynth(project, 'stg', config);

  function expectOneLine({ config, field, message, got }: Case) {
    // WHEN
    const run = synthOf(config());
    // THEN synth fails with the line: file, field, rule and value, naming service.database
    expect(run.exitCode).toBe(1);
    const line = run.errors.find((error) => error.startsWith(`error: ${file}: ${field}: `));
    expect(line ?? run.errors).toEqual(expect.stringMatching(message));
    expect(line).not.toContain('\n');
    expect(line).toContain('service.database');
    if (got !== undefined) expect(line).toContain(`(got ${JSON.stringify(got)})`);
    // and nothing was written
    expect(Object.keys(run.before)).toContain(path.join('stacks', 'stg', 'cdk.tf.json'));
    expect(run.untouched).toBe(true);
  }

  test('GIVEN the example with a masked clone WHEN synthesized THEN it passes with no warning (the control of every case below)', () => {
    const run = synthOf(exampleWith(CLONE));
    expect(run.errors).toEqual([]);
    expect(run.warnings).toEqual([]);
    expect(run.exitCode).toBe(0);
  });

  describe('a clone is an Aurora cluster\'s', () => {
    const cases: Case[] = [
      { name: 'a clone of an RDS PostgreSQL instance', config: () => exampleWith(INSTANCE), field: 'service.database.access', message: /"clone" needs an Aurora cluster \(service\.database\.clusterIdentifier, engine aurora-postgresql or aurora-mysql\): an RDS instance has no copy-on-write clone; use "read-only"/, got: 'clone' },
      { name: 'a clone of an RDS MySQL instance', config: () => exampleWith({ ...INSTANCE, engine: 'mysql' }), field: 'service.database.access', message: /an RDS instance has no copy-on-write clone; use "read-only"/, got: 'clone' },
      { name: 'a clone of a MariaDB instance', config: () => exampleWith({ ...INSTANCE, engine: 'mariadb' }), field: 'service.database.access', message: /an RDS instance has no copy-on-write clone; use "read-only"/, got: 'clone' },
      { name: 'previews\' clones of an RDS instance', config: () => exampleWith({ ...INSTANCE, access: 'read-only', user: 'staging_reader', iamAuth: true }, { 'previews.database': { access: 'clone' } }), field: 'previews.database.access', message: /"clone" needs service\.database to name an Aurora cluster .*: an RDS instance has no copy-on-write clone; use "read-only"/, got: 'clone' },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));
  });

  describe('masked, or unmasked by consent: fail closed', () => {
    const cases: Case[] = [
      { name: 'a clone without mask and without consent', config: () => exampleWith({ ...CLONE, clone: undefined }), field: 'service.database.clone.mask', message: /is required: a clone holds production's personal data, so service\.database\.clone\.mask must name the SQL that masks it before staging serves any \(or add service\.database\.allowUnmaskedProductionData: true to consent to unmasked data\)/ },
      { name: 'a clone with consent false', config: () => exampleWith({ ...CLONE, clone: {}, allowUnmaskedProductionData: false }), field: 'service.database.clone.mask', message: /is required: a clone holds production's personal data/ },
      { name: 'previews\' clones without mask or consent', config: () => exampleWith(READ_ONLY, { 'previews.database': { access: 'clone' } }), field: 'service.database.clone.mask', message: /before a preview serves any/ },
      { name: 'the consent beside a mask', config: () => exampleWith({ ...CLONE, allowUnmaskedProductionData: true }), field: 'service.database.allowUnmaskedProductionData', message: /consents to an unmasked clone, but clone\.mask masks it: remove it/, got: true },
      { name: 'the consent with no clone', config: () => exampleWith({ ...READ_ONLY, allowUnmaskedProductionData: true }, { 'previews.database': { access: 'read-only' } }), field: 'service.database.allowUnmaskedProductionData', message: /consents to an unmasked clone, but the file makes no clone: remove it/, got: true },
      { name: 'a clone section with no clone', config: () => exampleWith({ ...READ_ONLY, clone: { mask: 'db/mask.sql' } }, { 'previews.database': { access: 'read-only' } }), field: 'service.database.clone', message: /applies only to a clone: service\.database\.access "clone", or previews\.database\.access "clone"; remove it/ },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));

    test('GIVEN an unmasked clone by consent WHEN synthesized THEN it passes, with the STG-UnmaskedClone warning on staging\'s clone', () => {
      const run = synthOf(exampleWith({ ...CLONE, clone: undefined, allowUnmaskedProductionData: true }));
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
      expect(run.warnings).toEqual([expect.stringMatching(/^warning: .*stg\.json: aws_rds_cluster\.database_clone: STG-UnmaskedClone: a clone serves production data unmasked/)]);
    });
  });

  describe('staging connects as the clone\'s master user, never as a production user', () => {
    const cases: Case[] = [
      { name: 'a user beside access "clone"', config: () => exampleWith({ ...CLONE, user: 'staging_reader', iamAuth: true }), field: 'service.database.user', message: /must not be set with access "clone": staging connects to its clone as the clone's master user, with the secret RDS manages for it/ },
      { name: 'the example\'s own DB_PASSWORD secret', config: () => exampleWith(CLONE, { 'taskDefinition.container.secrets': example().taskDefinition.container.secrets }), field: 'taskDefinition.container.secrets.DB_PASSWORD', message: /is set by service\.database \(password\)/ },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));
  });

  describe('the clone\'s size: one instance of a class, or Serverless v2 between two capacities', () => {
    const sized = (clone: Record<string, unknown>) => () => exampleWith({ ...CLONE, clone: { mask: 'db/mask.sql', ...clone } });
    const cases: Case[] = [
      { name: 'a class that is no DB instance class', config: sized({ instanceClass: 't4g.medium' }), field: 'service.database.clone.instanceClass', message: /must be a DB instance class like "db\.t4g\.medium"/, got: 't4g.medium' },
      { name: 'a class beside capacities', config: sized({ instanceClass: 'db.r6g.large', maxCapacity: 4 }), field: 'service.database.clone.instanceClass', message: /must be left out \(or be "db\.serverless"\) with minCapacity\/maxCapacity/, got: 'db.r6g.large' },
      { name: 'db.serverless without capacities', config: sized({ instanceClass: 'db.serverless' }), field: 'service.database.clone.maxCapacity', message: /is required with instanceClass "db\.serverless"/ },
      { name: 'minCapacity without maxCapacity', config: sized({ minCapacity: 0.5 }), field: 'service.database.clone.maxCapacity', message: /is required with minCapacity/ },
      { name: 'minCapacity above maxCapacity', config: sized({ minCapacity: 8, maxCapacity: 4 }), field: 'service.database.clone.minCapacity', message: /must be at most maxCapacity \(4\)/, got: 8 },
      { name: 'more than 256 ACUs', config: sized({ maxCapacity: 512 }), field: 'service.database.clone.maxCapacity', message: /must be a number of ACUs from 1 to 256, in steps of 0\.5/, got: 512 },
      { name: 'a capacity off the half steps', config: sized({ minCapacity: 0.25, maxCapacity: 2 }), field: 'service.database.clone.minCapacity', message: /must be a number of ACUs from 0 to 256, in steps of 0\.5/, got: 0.25 },
      { name: 'a negative capacity', config: sized({ minCapacity: -1, maxCapacity: 2 }), field: 'service.database.clone.minCapacity', message: /from 0 to 256/, got: -1 },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));

    test.each([
      ['a class', { instanceClass: 'db.r6g.large' }],
      ['Serverless v2 from 0 ACUs (auto-pause)', { minCapacity: 0, maxCapacity: 4 }],
      ['Serverless v2 up to 256 ACUs, the least minimum by default', { maxCapacity: 256 }],
      ['db.serverless written out', { instanceClass: 'db.serverless', minCapacity: 0.5, maxCapacity: 1 }],
    ])('GIVEN %s WHEN synthesized THEN it passes', (_, clone) => {
      const run = synthOf(sized(clone)());
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    });
  });

  describe('the mask file', () => {
    const masked = (mask: string) => () => exampleWith({ ...CLONE, clone: { mask } });
    const cases: Case[] = [
      ...['../secrets/mask.sql', '/etc/mask.sql', 'db/mask.txt', 'db//mask.sql', 'db/./mask.sql', 'mask sql.sql'].map((mask): Case => ({
        name: `the mask ${JSON.stringify(mask)}`,
        config: masked(mask),
        field: 'service.database.clone.mask',
        message: /must be the path of an \.sql file inside the application repository, relative to its root/,
        got: mask,
      })),
      {
        name: 'a mask without a pipeline section (no repository to run it from)',
        config: () => exampleWith({ ...CLONE, clone: { mask: 'db/mask.sql' } }, { pipeline: undefined, previews: undefined }),
        field: 'service.database.clone.mask',
        message: /needs a pipeline section: the masking job runs this file of the application repository \(pipeline\.repository, at pipeline\.branch/,
        got: 'db/mask.sql',
      },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => expectOneLine(c));
  });

  describe('clone.refresh is no field (a schedule would need Terraform in a build: npm run refresh-data replaces the clone)', () => {
    test('GIVEN a file that still sets clone.refresh WHEN synthesized THEN one line naming the field, nothing written', () => {
      // GIVEN
      const run = synthOf(exampleWith({ ...CLONE, clone: { mask: 'db/mask.sql', refresh: 'rate(7 days)' } }));
      // THEN
      expect(run.exitCode).toBe(1);
      expect(run.errors.filter((line) => line.startsWith('error: '))).toEqual([`error: ${file}: service.database.clone.refresh: unknown field (known: mask, instanceClass, minCapacity, maxCapacity, clusterQuota)`]);
      expect(run.untouched).toBe(true);
    });
  });

  describe('previews.database.access: a clone, or staging\'s own access; never read-write', () => {
    const cases: Case[] = [
      { name: 'previews read-only beside staging\'s clone (no production user to connect as)', config: () => exampleWith(CLONE, { 'previews.database': { access: 'read-only' } }), field: 'previews.database.access', message: /"read-only" would connect a preview to production, but service\.database\.access is "clone", so staging names no production user for it to connect as; use "clone"/, got: 'read-only' },
      { name: 'previews reader beside staging read-only', config: () => exampleWith(READ_ONLY, { 'previews.database': { access: 'reader' } }), field: 'previews.database.access', message: /must be "clone" or staging's own service\.database\.access, "read-only"/, got: 'reader' },
      { name: 'previews read-write', config: () => exampleWith(READ_ONLY, { 'previews.database': { access: 'read-write' } }), field: 'previews.database.access', message: /Invalid option|must be one of|expected one of/ },
      { name: 'staging read-write, previews inheriting it', config: () => exampleWith({ ...READ_ONLY, user: 'staging_writer', iamAuth: true, access: 'read-write', allowProductionWrites: true }), field: 'service.database.access', message: /"read-write" with previews: .*or give each preview a clone of its own: previews\.database\.access "clone"/, got: 'read-write' },
      { name: 'staging\'s clone on the network path only', config: () => exampleWith({ securityGroupId: 'sg-00112233445566778', port: 5432, access: 'clone', clone: { mask: 'db/mask.sql' } }), field: 'service.database.access', message: /"clone" needs the database named \(engine aurora-postgresql or aurora-mysql, clusterIdentifier, databaseName\)/, got: 'clone' },
      { name: 'previews.database without the database named', config: () => exampleWith({ securityGroupId: 'sg-00112233445566778', port: 5432 }, { 'previews.database': { access: 'clone' } }), field: 'previews.database.access', message: /needs service\.database naming the production database/, got: 'clone' },
    ];
    test.each(cases)('GIVEN $name WHEN synthesized THEN one line, nothing written', (c) => {
      if (c.name === 'previews read-write') {
        // the schema's enum: the line names the field; the message is zod's
        const run = synthOf(c.config());
        expect(run.exitCode).toBe(1);
        expect(run.errors.find((error) => error.startsWith(`error: ${file}: previews.database.access: `))).toBeDefined();
        return;
      }
      expectOneLine(c);
    });

    test.each([
      ['staging read-only, each preview a masked clone', () => exampleWith({ ...READ_ONLY, clone: { mask: 'db/mask.sql' } }, { 'previews.database': { access: 'clone' } })],
      ['staging read-write by consent, each preview a clone (never production\'s writes)', () => exampleWith({ ...READ_ONLY, user: 'staging_writer', iamAuth: true, access: 'read-write', allowProductionWrites: true, clone: { mask: 'db/mask.sql' } }, { 'previews.database': { access: 'clone' } })],
      ['staging\'s clone, previews saying "clone" too', () => exampleWith(CLONE, { 'previews.database': { access: 'clone' } })],
    ])('GIVEN %s WHEN synthesized THEN it passes', (_, config) => {
      const run = synthOf(config());
      expect(run.errors).toEqual([]);
      expect(run.exitCode).toBe(0);
    });
  });
});

describe('the clone budget across files: a warning past 15 clones of a source, an error past the cluster quota', () => {
  /** A second environment beside stg: its own names, listener priorities and band, the same source cluster. */
  function qa(database: Record<string, unknown>, maxOpen: number): Record<string, any> {
    const config = exampleWith(database, {
      'taskDefinition.family': 'qa-server',
      'cluster.name': 'qa_ecs_cluster',
      'service.name': 'qa-server',
      'targetGroup.name': 'qa-server-target',
      'listenerRule.priority': 200,
      'listenerRule.hostHeader': 'qa-api.example.com',
      'dnsRecord.name': 'qa-api.example.com',
      'dnsRecord.setIdentifier': 'qa',
      'ecrLifecycle.repository': 'qa-server',
      'taskDefinition.container.image': '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/qa-server:stg',
      'previews.priorityBase': 2000,
      'previews.maxOpen': maxOpen,
    });
    return config;
  }

  function run(files: Record<string, unknown>) {
    const project = tempProject(files);
    const lines = { error: [] as string[], warn: [] as string[] };
    try {
      const result = synthesize({ ...project, info: () => undefined, error: (l) => lines.error.push(l), warn: (l) => lines.warn.push(l) });
      return { exitCode: result.exitCode, ...lines, file: (name: string) => path.join(project.environmentsDir, `${name}.json`) };
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  }

  test('GIVEN staging\'s clone and 10 previews\' (11 of prod-db) WHEN synthesized THEN no warning', () => {
    const result = run({ stg: exampleWith(CLONE) });
    expect(result.exitCode).toBe(0);
    expect(result.warn).toEqual([]);
  });

  test('GIVEN two files cloning prod-db, 11 + 6 = 17 WHEN synthesized THEN one warning line on the second file\'s maxOpen, naming both, and synth goes on', () => {
    // WHEN
    const result = run({ stg: exampleWith(CLONE), qa: qa(CLONE, 5) });
    // THEN
    expect(result.error).toEqual([]);
    expect(result.exitCode).toBe(0);
    const warning = result.warn.find((line) => line.includes('copy-on-write clones'));
    expect(warning).toMatch(/^warning: .*stg\.json: previews\.maxOpen: takes cluster prod-db past 15 copy-on-write clones: 17 may be open at once \(.*qa\.json staging 1 \+ previews 5, .*stg\.json staging 1 \+ previews 10\); past 15 \(AWS's earlier guide\) a clone may be a full copy/);
    expect(warning).not.toContain('\n');
  });

  test('GIVEN clusterQuota 10 and 11 clones of one source WHEN synthesized THEN one error line on clusterQuota, naming service.database, nothing written', () => {
    // WHEN
    const result = run({ stg: exampleWith({ ...CLONE, clone: { mask: 'db/mask.sql', clusterQuota: 10 } }) });
    // THEN
    expect(result.exitCode).toBe(1);
    const line = result.error.find((error) => error.includes('clusterQuota'));
    expect(line).toMatch(/^error: .*stg\.json: service\.database\.clone\.clusterQuota: must hold the DB clusters the clones take in ap-northeast-1: 11 clones \(.*stg\.json staging 1 \+ previews 10\) and 1 source cluster\(s\) make 12, past the quota of 10; lower previews\.maxOpen, or raise the Region's DB cluster quota/);
    expect(line).toContain('(got 10)');
    expect(line).not.toContain('\n');
  });

  test('GIVEN two files of 11 + 31 clones and the default quota of 40 WHEN synthesized THEN the error; with the quota raised to 60 in one file, only the copy-on-write warning', () => {
    // WHEN
    const over = run({ stg: exampleWith(CLONE), qa: qa({ ...CLONE, access: 'clone' }, 30) });
    const raised = run({ stg: exampleWith(CLONE), qa: qa({ ...CLONE, clone: { mask: 'db/mask.sql', clusterQuota: 60 } }, 30) });
    // THEN
    expect(over.exitCode).toBe(1);
    expect(over.error).toContainEqual(expect.stringMatching(/service\.database\.clone\.clusterQuota: must hold the DB clusters the clones take in ap-northeast-1: 42 clones .* make 43, past the quota of 40/));
    expect(raised.error.filter((line) => line.includes('clusterQuota'))).toEqual([]);
    expect(raised.warn).toContainEqual(expect.stringMatching(/past 15 copy-on-write clones: 42 may be open at once/));
  });

  test('GIVEN a source identifier that leaves no room for a preview clone\'s WHEN synthesized THEN one line on clusterIdentifier', () => {
    // GIVEN a 48-character source: prod…-stg-pr-999999999 is 65 characters
    const source = `p${'r'.repeat(47)}`;
    // WHEN
    const result = run({ stg: exampleWith({ ...CLONE, clusterIdentifier: source }) });
    // THEN
    expect(result.exitCode).toBe(1);
    expect(result.error).toContainEqual(expect.stringMatching(new RegExp(`^error: .*stg\\.json: service\\.database\\.clusterIdentifier: leaves no room for its clones' identifiers: "${source}-stg-pr-999999999" \\(<source>-<stack>-clone, or -pr-<number> for a preview\\) is 65 characters, at most 61 .*\\(got "${source}"\\)$`)));
  });
});

describe('allowUnmaskedProductionData is a consent, listed for the review', () => {
  test('GIVEN an unmasked clone by consent WHEN its consents are read THEN the unmasked-data consent, in the first lines', () => {
    // GIVEN
    const project = tempProject({ stg: exampleWith({ ...CLONE, clone: undefined, allowUnmaskedProductionData: true }) });
    try {
      const loaded = loadEnvironmentFile(path.join(project.environmentsDir, 'stg.json'));
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      // WHEN
      const consent = consentOf(loaded.environment.config);
      // THEN
      expect(consent.unmaskedProductionData).toBe(true);
      expect(consentLines(consent)[0]).toBe('service.database.allowUnmaskedProductionData: a clone serves UNMASKED PRODUCTION DATA (no clone.mask)');
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });

  test('GIVEN a masked clone WHEN its consents are read THEN no unmasked-data consent', () => {
    const project = tempProject({ stg: exampleWith(CLONE) });
    try {
      const loaded = loadEnvironmentFile(path.join(project.environmentsDir, 'stg.json'));
      if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
      expect(consentOf(loaded.environment.config).unmaskedProductionData).toBe(false);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });
});

describe('npm run db-grants with a clone', () => {
  test('GIVEN access "clone" WHEN db-grants runs THEN one line: there is no user to create on production', () => {
    // GIVEN
    const project = tempProject({ stg: exampleWith(CLONE) });
    try {
      // WHEN
      const run = spawnSync(process.execPath, ['-r', path.join(PROJECT_ROOT, 'scripts/register-ts.js'), path.join(PROJECT_ROOT, 'scripts/db-grants.ts'), 'stg'], {
        cwd: project.root,
        encoding: 'utf8',
        env: { ...process.env, STAGING_ENVIRONMENTS_DIR: project.environmentsDir },
      });
      // THEN
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr.trim()).toMatch(/^error: .*stg\.json: service\.database\.access: "clone": stg connects to a copy-on-write clone of its own as the clone's master user \(its secret managed by RDS\), so there is no user to create on production$/);
    } finally {
      fs.rmSync(project.root, { recursive: true, force: true });
    }
  });
});
