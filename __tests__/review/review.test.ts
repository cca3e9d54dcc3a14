import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataSources, offlinePlan, providerAwsSchemas, readmeBlock, reviewStack, withReadmeDiagram } from '../../src/review';
import { JsonObject } from '../../src/review/hcl';
import { withoutDir } from '../../src/terraform/offline';

const LOOKUP: JsonObject = {
  data: { aws_lb: { production: { name: 'prod-alb' } }, aws_route53_zone: { staging: { name: 'example.com' } } },
  resource: { aws_ecs_cluster: { stg_ecs_cluster: { name: 'stg_ecs_cluster' } } },
};

describe('plan.txt', () => {
  test('a stack with lookups gets a note naming its data sources, and Terraform is not run', () => {
    // GIVEN Terraform that must not be asked for
    const terraformAvailable = jest.fn(() => true);
    // WHEN
    const plan = offlinePlan('lookup', '/nonexistent', LOOKUP, { terraformAvailable });
    // THEN
    expect(plan.ok).toBe(true);
    expect(plan.text).toContain('No offline plan for stack "lookup"');
    expect(plan.text).toContain('  - data.aws_lb.production\n  - data.aws_route53_zone.staging\n');
    expect(terraformAvailable).not.toHaveBeenCalled();
  });

  test('without Terraform the note says so instead of failing', () => {
    // WHEN
    const plan = offlinePlan('stg', '/nonexistent', { resource: LOOKUP.resource }, { terraformAvailable: () => false });
    // THEN
    expect(plan).toEqual({ ok: true, text: expect.stringContaining('is not installed') });
  });

  test('temp directory paths are taken out of Terraform output', () => {
    // GIVEN
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-paths-'));
    // WHEN
    const text = withoutDir(`on ${dir}/main.tf line 3:\nin ${dir}\nelsewhere /tmp/other`, dir);
    fs.rmSync(dir, { recursive: true, force: true });
    // THEN
    expect(text).toBe('on main.tf line 3:\nin .\nelsewhere /tmp/other');
  });

  test('dataSources lists data addresses only', () => {
    // THEN
    expect(dataSources(LOOKUP)).toEqual(['data.aws_lb.production', 'data.aws_route53_zone.staging']);
    expect(dataSources({ resource: LOOKUP.resource })).toEqual([]);
  });
});

describe('reviewStack', () => {
  test('gives main.tf, plan.txt and diagram.md for a synthesized stack directory', () => {
    // GIVEN a stack directory holding cdk.tf.json
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-stack-'));
    fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(LOOKUP));
    // WHEN
    const review = reviewStack('lookup', dir, { terraformAvailable: () => false });
    fs.rmSync(dir, { recursive: true, force: true });
    // THEN
    expect(Object.keys(review.files)).toEqual(['main.tf', 'plan.txt', 'diagram.md']);
    expect(review.files['main.tf']).toContain('data "aws_lb" "production" {\n  name = "prod-alb"\n}');
    expect(review.files['plan.txt']).toContain('data.aws_lb.production');
    expect(review.files['diagram.md']).toContain('```mermaid\nflowchart LR\n');
  });
});

describe('providerAwsSchemas', () => {
  const schemas = providerAwsSchemas();

  test('reads blocks, maps and nested blocks of resources, data sources and the provider from the generated code', () => {
    // THEN
    const rule = schemas.resource('aws_lb_listener_rule');
    expect(rule?.argument('condition')?.block).toBe(true);
    expect(rule?.argument('condition')?.body?.argument('host_header')?.block).toBe(true);
    expect(rule?.argument('condition')?.body?.argument('host_header')?.body?.argument('values')?.block).toBe(false);
    expect(rule?.argument('tags')?.block).toBe(false);
    expect(schemas.data('aws_subnets')?.argument('filter')?.block).toBe(true);
    expect(schemas.provider('aws')?.argument('default_tags')?.block).toBe(true);
    expect(schemas.resource('aws_codebuild_project')?.argument('environment')?.body?.argument('environment_variable')?.block).toBe(true);
  });

  test('knows nothing of other providers or of names it has no file for', () => {
    // THEN
    expect(schemas.resource('random_id')).toBeUndefined();
    expect(schemas.resource('aws_no_such_thing')).toBeUndefined();
    expect(schemas.resource('aws_lb')?.argument('no_such_argument')).toBeUndefined();
  });
});

describe('README markers', () => {
  test('--readme replaces only the text between the stack markers', () => {
    // GIVEN
    const readme = 'intro\n<!-- diagram:stg:start -->\nold\n<!-- diagram:stg:end -->\nrest\n';
    // WHEN
    const updated = withReadmeDiagram(readme, 'stg', LOOKUP);
    // THEN
    expect(updated.startsWith('intro\n<!-- diagram:stg:start -->\n```mermaid\nflowchart LR\n')).toBe(true);
    expect(updated.endsWith('```\n<!-- diagram:stg:end -->\nrest\n')).toBe(true);
    expect(readmeBlock(updated, 'stg')).toMatch(/^```mermaid\n[\s\S]*```$/);
    expect(() => withReadmeDiagram('no markers', 'stg', LOOKUP)).toThrow('markers');
  });
});
