import { Aspects, Testing } from 'cdktf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DATABASE_MARK } from '../../src/constructs/database-access';
import { markResource, SECRET_FIELD } from '../../src/constructs/marks';
import { Guardrails } from '../../src/guardrails/aspect';
import { STAGING_RULES } from '../../src/guardrails/pack';
import { otherDatabasePasswords } from '../../src/guardrails/rules/other-database-password';
import { loadEnvironmentFile } from '../../src/environment/load';
import { PreviewStack } from '../../src/stack/preview-stack';
import { visitAll } from '../../src/stack/cdktf-adapter';
import { synthesize } from '../../src/synth/synth';
import { setPath, tempProject } from '../support/environments';
import { active, runGuardrails } from '../support/guardrails';
import { databaseIngress, DATABASE_USER, SECRET, taskDefinition } from '../support/guardrail-stacks';
import { PROJECT_ROOT } from '../support/paths';

const ID = 'STG-OtherDatabasePassword';
const IAM = { engine: 'aurora-postgresql', clusterIdentifier: 'prod-db', databaseName: 'app', user: DATABASE_USER, iamAuth: true };
const READER_SECRET = 'arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:stg/db-reader-AbCdEf';
const PASSWORD = { ...IAM, user: DATABASE_USER, iamAuth: undefined, passwordSecret: READER_SECRET };
const FIELD = 'taskDefinition.container.secrets.DB_PASSWORD';

/** examples/stg.json, the reference article's file (with its previews section), as a plain object. */
const example = (): Record<string, any> => JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'examples', 'stg.json'), 'utf8'));
const exampleWith = (database: unknown, secrets?: Record<string, string>) => {
  const file = setPath(example(), 'service.database', database);
  return secrets === undefined ? file : setPath(file, 'taskDefinition.container.secrets', secrets);
};

/** Synth of stg.json in a temporary project: exit code, error lines, and this rule's warnings. */
function synth(stg: unknown) {
  const project = tempProject({ stg });
  const lines = { error: [] as string[], warn: [] as string[] };
  try {
    const result = synthesize({ ...project, info: () => undefined, error: (l) => lines.error.push(l), warn: (l) => lines.warn.push(l) });
    return { exitCode: result.exitCode, ...lines, ours: lines.warn.filter((line) => line.includes(ID)) };
  } finally {
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

/** The guardrail findings of preview 12 of stg.json. */
function previewFindings(stg: unknown) {
  const project = tempProject({ stg });
  try {
    const loaded = loadEnvironmentFile(path.join(project.environmentsDir, 'stg.json'));
    if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
    const stack = new PreviewStack(Testing.app(), { config: loaded.environment.config, environment: 'stg', number: 12 });
    const guardrails = new Guardrails({ rules: STAGING_RULES, suppressions: loaded.environment.config.guardrails?.suppress });
    Aspects.of(stack).add(guardrails);
    visitAll(stack, guardrails);
    return guardrails.findings.filter((finding) => finding.ruleId === ID);
  } finally {
    fs.rmSync(project.root, { recursive: true, force: true });
  }
}

describe('STG-OtherDatabasePassword on examples/stg.json', () => {
  test('GIVEN the example with an Aurora cluster and iamAuth, its DB_PASSWORD (production’s secret) kept WHEN synthesized twice THEN it is written, with one warning each time naming the file, the field, why and the fix', () => {
    for (let run = 0; run < 2; run++) {
      const result = synth(exampleWith(IAM));
      expect(result.error).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.warn).toEqual([expect.stringContaining(ID)]);
      const [line] = result.ours;
      expect(line).toMatch(/^warning: (.*\/)?stg\.json: aws_ecs_task_definition\.stg_server: STG-OtherDatabasePassword: /);
      expect(line).toContain(`${FIELD} (named as the password variable (service.database.environment.password), which the kit leaves unset with service.database.iamAuth)`);
      expect(line).toContain('still gets another database password, likely production’s, beside staging’s own read-only user');
      expect(line).toContain('remove it: the app connects with the kit’s DB_HOST, DB_PORT, DB_NAME, DB_USER and an IAM token (service.database.iamAuth)');
      expect(line).toContain('(got "DB_PASSWORD")');
      // the line names the field, not the reference
      expect(line).not.toContain(SECRET);
    }
  });

  test('GIVEN the DB_PASSWORD removed, as the docs say WHEN synthesized THEN no warning at all', () => {
    const result = synth(exampleWith(IAM, {}));
    expect([...result.error, ...result.warn]).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  test('GIVEN a DATABASE_URL secret in its place WHEN synthesized THEN one warning naming it', () => {
    const result = synth(exampleWith(IAM, { DATABASE_URL: SECRET, SESSION_KEY: SECRET }));
    expect(result.exitCode).toBe(0);
    expect(result.warn).toHaveLength(1);
    expect(result.ours).toEqual([expect.stringContaining('taskDefinition.container.secrets.DATABASE_URL (named like a database password or connection string)')]);
  });

  test.each(['PGPASSWORD', 'MYSQL_PASSWD', 'REPLICA_DB_URL', 'APP_DSN', 'spring_datasource_password'])('GIVEN a secret %s WHEN synthesized THEN the warning names it', (name) => {
    const result = synth(exampleWith(IAM, { [name]: SECRET }));
    expect(result.exitCode).toBe(0);
    expect(result.ours).toEqual([expect.stringContaining(`taskDefinition.container.secrets.${name} (`)]);
  });

  test('GIVEN service.database.environment.password renamed to PG_SECRET and a secret of that name WHEN synthesized THEN the warning names it, though no pattern matches it', () => {
    const result = synth(exampleWith({ ...IAM, environment: { password: 'PG_SECRET' } }, { PG_SECRET: SECRET }));
    expect(result.exitCode).toBe(0);
    expect(result.ours).toEqual([expect.stringContaining('taskDefinition.container.secrets.PG_SECRET (named as the password variable')]);
  });

  test('GIVEN passwordSecret: the kit’s own DB_PASSWORD, the file’s removed WHEN synthesized THEN no warning', () => {
    const result = synth(exampleWith(PASSWORD, {}));
    expect([...result.error, ...result.warn]).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  test('GIVEN passwordSecret with the password variable renamed and the article’s DB_PASSWORD kept WHEN synthesized THEN the kit’s APP_DB_PASS is not flagged, production’s DB_PASSWORD is', () => {
    const result = synth(exampleWith({ ...PASSWORD, environment: { password: 'APP_DB_PASS' } }));
    expect(result.exitCode).toBe(0);
    expect(result.ours).toHaveLength(1);
    expect(result.ours[0]).toContain(`${FIELD} (named like a database password or connection string)`);
    expect(result.ours[0]).toContain('and the kit’s APP_DB_PASS (service.database.passwordSecret)');
  });

  test('GIVEN read-write by consent WHEN synthesized THEN the warning does not call the user read-only', () => {
    // read-write beside previews is refused: without them
    const without = setPath(exampleWith({ ...IAM, access: 'read-write', allowProductionWrites: true }), 'previews', undefined);
    const run = synth(without);
    expect(run.exitCode).toBe(0);
    expect(run.ours).toEqual([expect.stringContaining('beside staging’s own user;')]);
    expect(run.warn).toContainEqual(expect.stringContaining('STG-ProductionWrites'));
  });

  test('GIVEN the legacy form (securityGroupId and port) WHEN synthesized THEN only STG-DatabaseNetworkOnly: who connects is not the kit’s to say', () => {
    const result = synth(exampleWith({ securityGroupId: 'sg-00112233445566778', port: 5432 }));
    expect(result.exitCode).toBe(0);
    expect(result.warn).toEqual([expect.stringContaining('STG-DatabaseNetworkOnly')]);
  });

  test('GIVEN no service.database (the example as it is) WHEN synthesized THEN no warning', () => {
    const result = synth(example());
    expect([...result.error, ...result.warn]).toEqual([]);
    expect(result.exitCode).toBe(0);
  });

  test('GIVEN a previews.secrets DB_URL WHEN staging is synthesized THEN the warning names previews.secrets, for each preview', () => {
    const result = synth(setPath(exampleWith(IAM, {}), 'previews.secrets', { DB_URL: SECRET }));
    expect(result.exitCode).toBe(0);
    expect(result.ours).toEqual([expect.stringContaining('previews.secrets.DB_URL (named like a database password or connection string): the container of each preview still gets')]);
  });

  test('GIVEN a suppression with a reason on the task definition WHEN synthesized THEN silenced, and the suppression is used', () => {
    const file = exampleWith(IAM, { SENTRY_DSN: SECRET });
    file.guardrails.suppress.push({ id: ID, reason: 'SENTRY_DSN is the error tracker’s, no database password.', resources: ['aws_ecs_task_definition.stg_server'] });
    const result = synth(file);
    expect(result.exitCode).toBe(0);
    expect(result.warn).toEqual([]);
  });
});

describe('STG-OtherDatabasePassword on a preview stack', () => {
  const withPreviews = (secrets: Record<string, string> | undefined, previewSecrets?: Record<string, string>) => {
    const file = exampleWith(IAM, secrets);
    return previewSecrets ? setPath(file, 'previews.secrets', previewSecrets) : file;
  };

  test('GIVEN staging’s DB_PASSWORD inherited by the preview WHEN the guardrails run THEN a warning on the preview’s task definition naming taskDefinition.container.secrets', () => {
    expect(previewFindings(withPreviews(undefined))).toEqual([expect.objectContaining({ level: 'warning', address: 'aws_ecs_task_definition.stg_server', value: 'DB_PASSWORD', detail: expect.stringContaining(`${FIELD} (`) })]);
  });

  test('GIVEN previews.secrets over the container’s of the same name WHEN the guardrails run THEN the field named is previews.secrets', () => {
    const found = previewFindings(withPreviews(undefined, { DB_PASSWORD: READER_SECRET }));
    expect(found.map((finding) => finding.detail.split(' ')[0])).toEqual(['previews.secrets.DB_PASSWORD']);
  });

  test('GIVEN no password among the secrets WHEN the guardrails run THEN none', () => {
    expect(previewFindings(withPreviews({}, { FEATURE_FLAGS_KEY: SECRET }))).toEqual([]);
  });
});

describe('otherDatabasePasswords, the predicate', () => {
  const marks = (...rest: string[]) => [`${DATABASE_MARK.passwordVariable}DB_PASSWORD`, ...rest];

  test.each([
    ['no password variable mark (no user named)', [`${SECRET_FIELD}${FIELD}`], []],
    ['iamAuth: the password variable itself', marks(`${SECRET_FIELD}${FIELD}`), ['DB_PASSWORD']],
    ['passwordSecret: the kit gives it', marks(DATABASE_MARK.kitPassword, `${SECRET_FIELD}${FIELD}`), []],
    ['a name like a connection string', marks(DATABASE_MARK.kitPassword, `${SECRET_FIELD}taskDefinition.container.secrets.DATABASE_URL`), ['DATABASE_URL']],
    ['names that are no password', marks(`${SECRET_FIELD}taskDefinition.container.secrets.API_KEY`, `${SECRET_FIELD}previews.secrets.PASSWORD_MIN`), ['PASSWORD_MIN']],
  ])('GIVEN %s THEN the names flagged are as expected', (_, given, names) => {
    expect(otherDatabasePasswords(given).map((found) => found.name)).toEqual(names);
  });

  test('GIVEN the marks on something other than a task definition WHEN the guardrails run THEN no finding', () => {
    const findings = runGuardrails((s) => databaseIngress(s, {}).rules.forEach((rule) => marks(`${SECRET_FIELD}${FIELD}`).forEach((mark) => markResource(rule, mark))));
    expect(active(findings)).not.toContain(ID);
  });

  test('GIVEN a task definition marked so WHEN the guardrails run THEN one warning, suppressible', () => {
    const build = (s: Parameters<Parameters<typeof runGuardrails>[0]>[0]) => {
      const task = taskDefinition(s, []);
      marks(`${SECRET_FIELD}${FIELD}`).forEach((mark) => markResource(task, mark));
    };
    expect(runGuardrails(build).filter((finding) => finding.ruleId === ID)).toEqual([expect.objectContaining({ level: 'warning', value: 'DB_PASSWORD' })]);
    expect(active(runGuardrails(build, [{ id: ID, reason: 'Checked by hand.' }]))).not.toContain(ID);
  });
});
