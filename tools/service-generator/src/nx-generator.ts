import { posix } from 'node:path';
import { generatorErrors } from './generator.errors.js';
import { planService } from './generate-service.js';

/**
 * The part of nx's generator `Tree` this generator uses. Typed here because `@nx/devkit` is not
 * published in the version of the installed nx (24.0.6); nx passes its own Tree at run time.
 */
export interface GeneratorTree {
  readonly root: string;
  write(path: string, content: Buffer | string): void;
  exists(path: string): boolean;
  children(path: string): string[];
}

export interface ServiceGeneratorSchema {
  readonly name: string;
  readonly directory?: string;
}

/**
 * `npx nx g @realtime-platform/service-generator:service <name> [--directory=…] [--dry-run]`:
 * the same files as `generateService`, written through nx's Tree (so `--dry-run` works).
 */
export async function serviceGenerator(
  tree: GeneratorTree,
  schema: ServiceGeneratorSchema,
): Promise<() => void> {
  const plan = await planService({
    name: schema.name,
    workspaceRoot: tree.root,
    ...(schema.directory === undefined ? {} : { directory: schema.directory }),
  });
  if (tree.exists(plan.targetPath) && tree.children(plan.targetPath).length > 0)
    throw generatorErrors.TARGET_EXISTS({ directory: plan.targetPath });
  for (const file of plan.files) tree.write(posix.join(plan.targetPath, file.path), file.content);
  return () => {
    console.log(
      `\n${plan.name} created in ${plan.targetPath}. Next:\n  npm install\n  npx nx run ${plan.name}:test\n`,
    );
  };
}

export default serviceGenerator;
