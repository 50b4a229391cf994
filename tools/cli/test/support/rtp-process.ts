import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/** The built CLI (`npx nx run cli:build`), run as its own process like a user runs it. */
export const rtpMain = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** addons/examples: the OAM Applications the addon tests dry-run and render. */
export const examplesDir = fileURLToPath(new URL('../../../../addons/examples', import.meta.url));

export interface RtpRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** `node dist/main.js <args>`; never throws on a non-zero exit. */
export async function rtp(args: string[], env: Record<string, string> = {}): Promise<RtpRun> {
  const result = await execa('node', [rtpMain, ...args], { reject: false, env });
  return {
    exitCode: result.exitCode ?? -1,
    stdout: String(result.stdout),
    stderr: String(result.stderr),
  };
}

/**
 * The addon options an example needs, as `--set` arguments. The requirements' user flow writes
 * `type: webservice` with `realtime:`, which needs the addon option overrideWebservice; a Lenses
 * platform needs the platform engineer to accept the Lenses EULA. Every other example renders
 * with the addon's defaults.
 */
export const exampleAddonOptions: Record<string, string[]> = {
  'user-flow.app.yaml': ['--set', 'overrideWebservice=true'],
  'plain-webservice.app.yaml': ['--set', 'overrideWebservice=true'],
  'every-option.app.yaml': ['--set', 'lenses.acceptEULA=true'],
};
