import { goToolsManifest } from '@realtime-platform/toolchain';
import { addonNames } from '../contract-values.js';
import { composeFunction } from './compose-function.js';

/**
 * The Crossplane Function packages the addon installs: this project's function-compose-platform
 * (addon parameter `composeFunctionPackage`, default `composeFunction.package`) and
 * function-auto-ready at the version the toolchain builds for `crossplane render`.
 */
export function functionPackages(): { name: string; package: string }[] {
  const { tools } = goToolsManifest;
  return [
    { name: composeFunction.name, package: composeFunction.package },
    {
      name: addonNames.functionAutoReady,
      package: `xpkg.crossplane.io/crossplane-contrib/function-auto-ready:${tools['function-auto-ready'].version}`,
    },
  ];
}
