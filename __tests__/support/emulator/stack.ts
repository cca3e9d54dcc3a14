import * as fs from 'node:fs';
import * as path from 'node:path';
import { ProviderServer } from '../../../src/terraform/offline';
import { TerraformWorkdir } from '../terraform';
import { emulatorBackendConfig, emulatorOverride, emulatorProviderEnvironment } from '../emulator';
import { SECOND_PLAN_DIFFS, UNSUPPORTED_RESOURCES } from './gaps';

/** One resource a plan would change, with the top-level attributes that differ. */
export interface ResourceDiff {
  readonly address: string;
  readonly type: string;
  readonly actions: string[];
  /** Attributes whose planned value differs from the state's (known after apply counts as different). */
  readonly attributes: string[];
}

/** A synthesized stack in a working copy that applies to the emulator. */
export class EmulatorStack {
  /**
   * Copies the stack, points it at the emulator, drops what the emulator cannot create, has Terraform
   * ignore the attributes the emulator does not store (both gaps.ts), and runs `terraform init` (from the shared provider install; with `s3Backend`, the stack's own S3
   * backend against the emulator's S3). Every command of the copy attaches to one provider process of
   * its own, started here: a copy's commands run one after the other, and copies run at once.
   */
  public static async create(stackDir: string, endpoint: string, options: { s3Backend?: boolean; extraFiles?: Record<string, string> } = {}): Promise<EmulatorStack> {
    const provider = ProviderServer.start(emulatorProviderEnvironment(endpoint));
    const workdir = TerraformWorkdir.fromStack(stackDir, { keepBackend: options.s3Backend, provider });
    try {
      const file = path.join(workdir.dir, 'cdk.tf.json');
      if (fs.existsSync(file)) {
        fs.writeFileSync(file, JSON.stringify(forEmulator(JSON.parse(fs.readFileSync(file, 'utf8'))), null, 2));
      }
      workdir.write('zzz_emulator_override.tf.json', emulatorOverride());
      for (const [name, contents] of Object.entries(options.extraFiles ?? {})) workdir.write(name, contents);
      workdir.init();
      if (options.s3Backend) {
        workdir.write('emulator.s3.tfbackend', emulatorBackendConfig(endpoint));
        // -reconfigure: the shared init's backend record is the local one
        await workdir.runAsync('init', '-input=false', '-no-color', '-reconfigure', '-backend-config=emulator.s3.tfbackend');
      }
    } catch (error) {
      // a copy that never came up leaves no provider process or directory behind
      await provider.stop();
      workdir.dispose();
      throw error;
    }
    return new EmulatorStack(workdir, provider);
  }

  private constructor(
    public readonly workdir: TerraformWorkdir,
    private readonly provider: ProviderServer,
  ) {}

  public apply(...extraArgs: string[]): Promise<string> {
    return this.workdir.runAsync('apply', '-auto-approve', '-input=false', '-no-color', ...extraArgs);
  }

  /**
   * Without a refresh: every destroy here follows this copy's own apply, and deletes by the IDs in its
   * state (a refresh read each resource back first: 1.7 s of CPU per destroy, measured, of the
   * provider, moto and Terraform, on a suite that is CPU-bound).
   */
  public destroy(...extraArgs: string[]): Promise<string> {
    return this.workdir.runAsync('destroy', '-auto-approve', '-input=false', '-no-color', '-refresh=false', ...extraArgs);
  }

  /**
   * A plan with refresh against what the emulator holds: the resources it would change, read from
   * `plan -json`'s events. Only when something would change is the saved plan shown (`show -json`, one
   * more command), for the attributes that differ.
   */
  public async plan(...extraArgs: string[]): Promise<ResourceDiff[]> {
    const { changes } = await this.workdir.planAsync('-out=e2e.tfplan', ...extraArgs);
    if (changes.every((change) => change.action === 'read')) return [];
    const plan = JSON.parse(await this.workdir.runAsync('show', '-json', 'e2e.tfplan'));
    return (plan.resource_changes ?? [])
      .filter((change: any) => !change.change.actions.every((action: string) => action === 'no-op' || action === 'read'))
      .map((change: any) => ({
        address: change.address,
        type: change.type,
        actions: change.change.actions,
        attributes: changedAttributes(change.change),
      }));
  }

  /** Stops the copy's provider and removes the copy. */
  public async dispose(): Promise<void> {
    await this.provider.stop();
    this.workdir.dispose();
  }
}

/**
 * A stack's Terraform JSON as the emulator can apply it (gaps.ts): without the resource types it cannot
 * create, and with the attributes it does not store added to each resource's `ignore_changes`.
 */
export function forEmulator(stack: { resource?: Record<string, Record<string, any>> }): typeof stack {
  const resource = Object.fromEntries(
    Object.entries(stack.resource ?? {})
      .filter(([type]) => !(type in UNSUPPORTED_RESOURCES))
      .map(([type, byName]) => {
        const ignored = Object.keys(SECOND_PLAN_DIFFS[type] ?? {});
        if (ignored.length === 0) return [type, byName];
        const withIgnored = Object.entries(byName).map(([name, config]) => [
          name,
          { ...config, lifecycle: { ...config.lifecycle, ignore_changes: [...new Set([...(config.lifecycle?.ignore_changes ?? []), ...ignored])] } },
        ]);
        return [type, Object.fromEntries(withIgnored)];
      }),
  );
  return stack.resource ? { ...stack, resource } : stack;
}

function changedAttributes(change: { before: any; after: any; after_unknown: any }): string[] {
  const keys = new Set([...Object.keys(change.before ?? {}), ...Object.keys(change.after ?? {}), ...Object.keys(change.after_unknown ?? {})]);
  return [...keys]
    .filter((key) => change.after_unknown?.[key] === true || JSON.stringify(change.before?.[key]) !== JSON.stringify(change.after?.[key]))
    .sort();
}
