import * as fs from 'node:fs';
import * as path from 'node:path';
import { PlainSecrets } from '../../src/guardrails/rules/plain-secrets';
import { synthesize } from '../../src/synth/synth';
import { fixtureJson, setPath, snapshot, tempProject } from '../support/environments';
import { LEGACY_DATABASE_WARNING } from '../support/guardrails';

/** Runs synth on `files`, capturing every printed line by kind. */
function run(project: ReturnType<typeof tempProject>) {
  const lines = { info: [] as string[], error: [] as string[], warn: [] as string[] };
  const result = synthesize({ ...project, info: (l) => lines.info.push(l), error: (l) => lines.error.push(l), warn: (l) => lines.warn.push(l) });
  return { result, ...lines };
}

const withSecretInEnvironment = () => setPath(fixtureJson('stg'), 'taskDefinition.container.environment', { APP_ENV: 'staging', DB_PASSWORD: 'hunter2' });

describe('guardrails at synth', () => {
  test('both examples pass every guardrail: no error; one warning, preview.json’s legacy service.database', () => {
    // GIVEN
    const project = tempProject({ stg: fixtureJson('stg'), preview: fixtureJson('preview') });
    // WHEN
    const { result, error, warn } = run(project);
    // THEN
    expect(result.exitCode).toBe(0);
    expect(error).toEqual([]);
    expect(warn).toEqual([expect.stringMatching(LEGACY_DATABASE_WARNING)]);
  });

  test('a guardrail error stops synth with file, address, rule, value and a fix, and leaves the previous output as it was', () => {
    // GIVEN a previous good synth, then a secret in a plain environment variable
    const project = tempProject({ stg: fixtureJson('stg') });
    run(project);
    const before = snapshot(project.outdir);
    fs.writeFileSync(path.join(project.environmentsDir, 'stg.json'), JSON.stringify(withSecretInEnvironment()));
    // WHEN
    const { result, error } = run(project);
    // THEN
    expect(result.exitCode).toBe(1);
    const file = path.join(project.environmentsDir, 'stg.json');
    expect(error[0]).toBe(
      `error: ${file}: aws_ecs_task_definition.stg_server: STG-PlainSecrets: container environment variables must not hold secrets: environment variable DB_PASSWORD: its name looks like a secret (got "DB_PASSWORD")\n` +
        `  ${PlainSecrets.explanation}`,
    );
    expect(error[0]).toMatch(/taskDefinition\.container\.secrets/);
    expect(error.at(-1)).toBe('synth stopped: 1 error(s); nothing was written');
    expect(snapshot(project.outdir)).toEqual(before);
  });

  test('a guardrail error on a first synth does not create the output directory', () => {
    // GIVEN
    const project = tempProject({ stg: withSecretInEnvironment() });
    // WHEN
    const { result } = run(project);
    // THEN
    expect(result.exitCode).toBe(1);
    expect(fs.existsSync(project.outdir)).toBe(false);
  });

  test('a suppression with a written reason lets synth go on; one that matches nothing is reported', () => {
    // GIVEN the secret-like name accepted with a reason, plus a stale suppression
    const config = withSecretInEnvironment();
    config.guardrails.suppress.push(
      { id: 'STG-PlainSecrets', reason: 'DB_PASSWORD here is a dummy for a local mock database.' },
      { id: 'STG-OpenIngress', reason: 'Left over from an earlier security group setup.' },
    );
    const project = tempProject({ stg: config });
    // WHEN
    const { result, error, warn } = run(project);
    // THEN
    expect(result.exitCode).toBe(0);
    expect(error).toEqual([]);
    expect(warn).toEqual([expect.stringMatching(/^warning: .*stg\.json: guardrails\.suppress: STG-OpenIngress matched nothing; remove it/)]);
  });

  test('"public": true synthesizes, and says so as a warning on every synth', () => {
    // GIVEN
    const project = tempProject({ stg: setPath(fixtureJson('stg'), 'listenerRule.access', { public: true }) });
    for (const attempt of [1, 2]) {
      // WHEN
      const { result, warn } = run(project);
      // THEN
      expect([attempt, result.exitCode]).toEqual([attempt, 0]);
      expect(warn).toEqual([expect.stringMatching(/^warning: .*stg\.json: aws_alb_listener_rule\.stg_server_rule: STG-PublicAccess: the staging endpoint is open to everyone/)]);
    }
  });
});
