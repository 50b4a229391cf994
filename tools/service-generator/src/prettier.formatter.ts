import { join } from 'node:path';
import { format, getFileInfo, resolveConfig } from 'prettier';
import type { RenderedFile } from './template-renderer.js';

/**
 * Formats the rendered files with the workspace's prettier settings: a longer or shorter name
 * moves line breaks, and the new service's `lint` checks formatting. Files prettier does not
 * know (SQL, Dockerfile) are left as they are.
 */
export async function formatRendered(
  files: readonly RenderedFile[],
  targetDirectory: string,
): Promise<RenderedFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const filepath = join(targetDirectory, file.path);
      const info = await getFileInfo(filepath);
      if (info.ignored || info.inferredParser === null) return file;
      const config = (await resolveConfig(filepath)) ?? {};
      const text = await format(file.content.toString('utf8'), { ...config, filepath });
      return { path: file.path, content: Buffer.from(text) };
    }),
  );
}
