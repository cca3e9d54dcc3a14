import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { Clients } from '../../src/operations/clients';
import { operationTarget, OperationTarget } from '../../src/operations/target';
import { loadEnvironmentFile } from '../../src/environment/load';
import { PROJECT_ROOT } from './paths';

/** An answer of a stand-in AWS call: a value, an error to throw, or a function of the input. */
export type Answer = unknown | Error | ((input: any, calls: number) => unknown);

/** Each call the stand-in clients got: "ECS DescribeServices" and its input. */
export interface Call {
  readonly name: string;
  readonly input: any;
}

const SERVICES: Record<keyof Clients, string> = {
  ecs: 'ECS',
  logs: 'CloudWatch Logs',
  elb: 'Elastic Load Balancing v2',
  ecr: 'ECR',
  codebuild: 'CodeBuild',
  autoscaling: 'Application Auto Scaling',
  s3: 'S3',
  sts: 'STS',
};

/** An AWS SDK service error as the SDK throws it: a name, a message, the HTTP status. */
export function awsError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
}

/**
 * Stand-in SDK clients: `answers` maps "ECS DescribeServices" to what it answers (a function gets the
 * command's input and how many times it was called before). An unanswered call fails the test loudly.
 * STS GetCallerIdentity answers the examples' account unless told otherwise.
 */
export function fakeClients(answers: Record<string, Answer>): { clients: Clients; calls: Call[] } {
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  const all: Record<string, Answer> = { 'STS GetCallerIdentity': { Account: '123456789012' }, ...answers };
  const client = (serviceId: string) => ({
    config: { serviceId },
    async send(command: { input: unknown; constructor: { name: string } }) {
      const name = `${serviceId} ${command.constructor.name.replace(/Command$/, '')}`;
      calls.push({ name, input: command.input });
      const count = counts.get(name) ?? 0;
      counts.set(name, count + 1);
      if (!(name in all)) throw new Error(`unexpected call ${name} ${JSON.stringify(command.input)}`);
      const answer = all[name];
      const value = typeof answer === 'function' ? (answer as (input: unknown, calls: number) => unknown)(command.input, count) : answer;
      if (value instanceof Error) throw value;
      return structuredClone(value);
    },
  });
  const clients = Object.fromEntries(Object.entries(SERVICES).map(([key, serviceId]) => [key, client(serviceId)])) as unknown as Clients;
  return { clients, calls };
}

/** The operation target of an example stack (examples/<name>.json), or of a preview of it, with `change` applied to the file first. */
export function exampleTarget(stack: string, change: (config: Record<string, any>) => void = () => undefined): OperationTarget {
  const environment = stack.replace(/-pr-\d+$/, '');
  const file = path.join(PROJECT_ROOT, 'examples', `${environment}.json`);
  const loaded = loadEnvironmentFile(file);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const config = structuredClone(loaded.environment.config) as Record<string, any>;
  change(config);
  return operationTarget(stack, `examples/${environment}.json`, config as never);
}

/** A day-2 script (scripts/<name>.ts) run as `npm run <name>` runs it, with its exit code and output. */
export function runScript(name: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', path.join(PROJECT_ROOT, 'scripts/register-ts.js'), path.join(PROJECT_ROOT, 'scripts', `${name}.ts`), ...args],
      { cwd: options.cwd ?? PROJECT_ROOT, env: options.env ?? process.env, encoding: 'utf8', timeout: options.timeout ?? 120000 },
      (error, stdout, stderr) => resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}
