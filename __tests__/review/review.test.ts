import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { dataSources, diagramBlock, offlinePlan, reviewStack, withDiagram } from '../../src/review';
import { JsonObject } from '../../src/review/hcl';
import { providerSchemas, readProviderSchemas, schemaSource, trimProviderSchemas } from '../../src/review/schema';
import { withoutDir } from '../../src/terraform/offline';
import { synthesizeFixtures } from '../support/stacks';
import { PROJECT_ROOT } from '../support/paths';
import { describeWithTerraform } from '../support/terraform';

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

  test("the lookup fixture's note names the supported command, npm run plan, never npx cdktf diff", () => {
    // GIVEN the lookup fixture, synthesized
    const dirs = synthesizeFixtures(path.join(PROJECT_ROOT, '__tests__', 'fixtures', 'lookup'));
    const config = JSON.parse(fs.readFileSync(path.join(dirs.lookup, 'cdk.tf.json'), 'utf8')) as JsonObject;
    fs.rmSync(path.dirname(path.dirname(dirs.lookup)), { recursive: true, force: true });
    // WHEN
    const plan = offlinePlan('lookup', dirs.lookup, config, { terraformAvailable: () => true });
    // THEN
    expect(dataSources(config).length).toBeGreaterThan(0);
    expect(plan.text).toContain('Plan with credentials instead: `npm run plan -- lookup`');
    expect(plan.text).not.toMatch(/cdktf (diff|plan)/);
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

describe('provider schemas, trimmed', () => {
  // GIVEN `terraform providers schema -json` in miniature: a block with a nested block, attributes of every kind
  const raw = {
    format_version: '1.0',
    provider_schemas: {
      'registry.terraform.io/hashicorp/aws': {
        provider: { block: { attributes: { region: {} }, block_types: { default_tags: { nesting_mode: 'list', block: { attributes: { tags: {} } } } } } },
        resource_schemas: {
          aws_lb_listener_rule: {
            block: {
              attributes: {
                tags: { type: ['map', 'string'] },
                // an attribute Terraform also accepts as blocks, holding one too
                egress: { type: ['set', ['object', { from_port: 'number', rule: ['list', ['object', { a: 'string' }]], labels: ['map', 'string'] }]] },
              },
              block_types: { condition: { nesting_mode: 'set', block: { block_types: { host_header: { nesting_mode: 'list', block: { attributes: { values: {} } } } } } } },
            },
          },
        },
        data_source_schemas: { aws_subnets: { block: { block_types: { filter: { nesting_mode: 'set', block: {} } } } } },
      },
    },
  };

  test('keeps only the names of nested blocks and of lists and sets of objects, recursively, per provider source', () => {
    // WHEN
    const trimmed = trimProviderSchemas(raw);
    // THEN
    expect(trimmed).toEqual({
      'registry.terraform.io/hashicorp/aws': {
        provider: { default_tags: {} },
        resource: { aws_lb_listener_rule: { egress: { rule: {} }, condition: { host_header: {} } } },
        data: { aws_subnets: { filter: {} } },
      },
    });
  });

  test('a known type answers for every argument; unknown types and other providers get undefined (the fallback rules)', () => {
    // WHEN
    const source = schemaSource({ 'registry.terraform.io/hashicorp/aws 5.100.0': trimProviderSchemas(raw)['registry.terraform.io/hashicorp/aws'] });
    // THEN
    expect(source.providers).toEqual(['registry.terraform.io/hashicorp/aws 5.100.0']);
    expect(source.resource('aws_lb_listener_rule')?.condition?.host_header).toEqual({});
    expect(source.resource('aws_lb_listener_rule')?.tags).toBeUndefined();
    expect(source.data('aws_subnets')).toEqual({ filter: {} });
    expect(source.provider('aws')).toEqual({ default_tags: {} });
    expect([source.resource('random_id'), source.resource('aws_subnets'), source.resource('constructor'), source.provider('random')]).toEqual([undefined, undefined, undefined, undefined]);
  });
});

describeWithTerraform('provider schemas from Terraform', () => {
  test('the AWS provider the mirror installs, keyed by source and version; its blocks and maps', () => {
    // WHEN
    const schemas = providerSchemas();
    // THEN
    expect(schemas.providers).toEqual(['registry.terraform.io/hashicorp/aws 5.100.0']);
    expect(schemas.resource('aws_lb_listener_rule')?.condition?.host_header).toEqual({});
    expect(schemas.resource('aws_lb_listener_rule')?.tags).toBeUndefined();
    expect(schemas.resource('aws_codebuild_project')?.environment?.environment_variable).toEqual({});
    expect(schemas.resource('aws_security_group')).toEqual({ egress: {}, ingress: {}, timeouts: {} });
    expect(schemas.data('aws_subnets')).toHaveProperty('filter');
    expect(schemas.provider('aws')).toHaveProperty('default_tags');
  });

  test('a cached schema is read instead of asking Terraform', () => {
    // GIVEN a cache holding a made-up schema for the installed version
    const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stg-schema-cache-'));
    const file = path.join(cacheDir, 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ format: 1, blocks: { provider: {}, resource: { aws_made_up: { inner: {} } }, data: {} } }));
    // WHEN
    const schemas = readProviderSchemas(cacheDir);
    // THEN
    expect(schemas.resource('aws_made_up')).toEqual({ inner: {} });
    expect(schemas.resource('aws_lb')).toBeUndefined();
  });
});

describe('diagram markers', () => {
  test('--docs replaces only the text between the stack markers', () => {
    // GIVEN
    const page = 'intro\n<!-- diagram:stg:start -->\nold\n<!-- diagram:stg:end -->\nrest\n';
    // WHEN
    const updated = withDiagram(page, 'stg', LOOKUP);
    // THEN
    expect(updated.startsWith('intro\n<!-- diagram:stg:start -->\n```mermaid\nflowchart LR\n')).toBe(true);
    expect(updated.endsWith('```\n<!-- diagram:stg:end -->\nrest\n')).toBe(true);
    expect(diagramBlock(updated, 'stg')).toMatch(/^```mermaid\n[\s\S]*```$/);
    expect(() => withDiagram('no markers', 'stg', LOOKUP)).toThrow('markers');
  });
});
