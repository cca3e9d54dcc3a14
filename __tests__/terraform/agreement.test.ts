import { loadEnvironments } from '../../src/environment/load';
import { BOUNDARIES } from '../support/boundaries';
import { fixtureJson, setPath, tempProject } from '../support/environments';

// The provider's side of each boundary is checked by the one `terraform validate` of validate.test.ts.
describe('our validation at the boundaries', () => {
  test.each(BOUNDARIES)('$name: $field accepts the inside value and rejects the outside one', (boundary) => {
    // GIVEN the example with the boundary value (and what it needs)
    const withValue = (value: unknown) => {
      // Without the pipeline, whose own rules (the deploy must fit its wait) would mask the provider's boundaries.
      const config = setPath(fixtureJson('stg'), 'pipeline', undefined);
      for (const [field, extra] of Object.entries(boundary.with ?? {})) setPath(config, field, extra);
      return loadEnvironments(tempProject({ stg: setPath(config, boundary.field, value) }).environmentsDir);
    };
    // WHEN / THEN
    expect(withValue(boundary.inside)).toMatchObject({ ok: true });
    const outside = withValue(boundary.outside);
    expect(outside.ok).toBe(false);
    expect(!outside.ok && outside.errors.join('\n')).toContain(`: ${boundary.field}: `);
  });
});
