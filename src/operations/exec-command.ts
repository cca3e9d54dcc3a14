/** `npm run exec`'s pure parts: finding session-manager-plugin, and the AWS CLI command that does the same. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** AWS's install page of the Session Manager plugin (Systems Manager User Guide). */
export const PLUGIN_INSTALL_URL = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html';
export const PLUGIN = 'session-manager-plugin';

/** The executable `name` in a PATH value, or undefined. */
export function findOnPath(name: string, pathValue: string | undefined): string | undefined {
  for (const dir of (pathValue ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export interface ExecTarget {
  readonly region: string;
  readonly cluster: string;
  readonly task: string;
  readonly container: string;
  /** The command as one string (ECS Exec runs it in the container, split by the agent). */
  readonly command: string;
}

/** The equivalent `aws ecs execute-command …`, ready to paste. */
export function executeCommandLine(target: ExecTarget): string {
  const words = ['aws', 'ecs', 'execute-command', '--region', target.region, '--cluster', target.cluster, '--task', target.task, '--container', target.container, '--interactive', '--command', target.command];
  return words.map(shellWord).join(' ');
}

/** The one line shown without the plugin: how to install it, and the command that works once it is there. */
export function missingPluginLine(target: ExecTarget): string {
  return `${PLUGIN} is not on PATH; ECS Exec needs it: install it (${PLUGIN_INSTALL_URL}; macOS: brew install --cask session-manager-plugin), then run this again, or: ${executeCommandLine(target)}`;
}

/**
 * The plugin's arguments, as the AWS CLI passes them after ExecuteCommand: the session, the region,
 * "StartSession", the profile, the SSM target `ecs:<cluster>_<task ID>_<container runtime ID>`, and the endpoint.
 */
export function pluginArguments(session: unknown, target: { region: string; cluster: string; taskId: string; runtimeId: string }, profile: string, endpoint: string): string[] {
  return [JSON.stringify(session), target.region, 'StartSession', profile, JSON.stringify({ Target: `ecs:${target.cluster}_${target.taskId}_${target.runtimeId}` }), endpoint];
}

/** The command to run: what follows `--`, joined as the shell would show it; a shell by default. */
export function commandOf(rest: readonly string[]): string {
  return rest.length === 0 ? '/bin/sh' : rest.length === 1 ? rest[0] : rest.map(shellWord).join(' ');
}
