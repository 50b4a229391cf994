import {
  GoTool,
  goToolBuildError,
  goToolVersion,
  Helm,
  toolchainErrors,
  type GoToolName,
} from '@realtime-platform/toolchain';
import { renderErrors } from './render.errors.js';

/** How to get the Go-built tools: the install script behind `npm run setup`. */
export const goToolsSetupHint = 'npm run setup -- --with-go-tools builds it';

/**
 * A Go-built tool (vela, crossplane, cue, a composition function), located when it is needed, so
 * that importing this library never requires one. Missing: RTP_ERR_ADDON_RENDER_TOOL_MISSING
 * saying how to build it (and why its last build failed, when it did), the toolchain's error as
 * cause.
 */
export function goTool(name: GoToolName): GoTool {
  try {
    return GoTool.locate(name);
  } catch (error) {
    if (!toolchainErrors.MISSING.is(error)) throw error;
    const buildError = goToolBuildError(name)?.split('\n').slice(-3).join(' ');
    throw renderErrors.TOOL_MISSING(
      {
        tool: `${name} ${goToolVersion(name)}`,
        hint: buildError
          ? `its last build failed (${buildError}); ${goToolsSetupHint}`
          : goToolsSetupHint,
      },
      { cause: error },
    );
  }
}

/** helm (PATH or the toolchain cache), or RTP_ERR_ADDON_RENDER_TOOL_MISSING. */
export function helmTool(): Helm {
  try {
    return Helm.locate();
  } catch (error) {
    if (!toolchainErrors.MISSING.is(error)) throw error;
    throw renderErrors.TOOL_MISSING(
      { tool: 'helm', hint: 'npm run setup installs it' },
      { cause: error },
    );
  }
}
