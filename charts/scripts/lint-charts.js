/* global console, process, URL -- Node globals; this plain-JS script is not type-checked by tsc. */
// Lints every chart in charts/ (each folder with a Chart.yaml):
//   - `helm lint --strict` with each values fixture in test/<chart>/values/ (files named
//     invalid-*.yaml are meant to fail and are skipped), or with the defaults when there is none,
//     as a preview (credentials.renderWithoutCluster=generate: lint has no cluster);
//   - README.md's Parameters section must be what readme-generator-for-helm makes from the
//     `## @param` comments in values.yaml (which also fails when a value has no comment);
//   - a .helmignore must exist, so tests and workspace files are never packaged.
// `node scripts/lint-charts.js --write-readme` rewrites the Parameters sections instead.
// helm is located like everywhere else in the project: Helm.locate() (PATH, then the cache).
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Helm } from '@realtime-platform/toolchain';
import * as prettier from 'prettier';

const chartsDir = fileURLToPath(new URL('..', import.meta.url));
const writeReadme = process.argv.includes('--write-readme');
const { runReadmeGenerator } = createRequire(import.meta.url)('@bitnami/readme-generator-for-helm');

const charts = readdirSync(chartsDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(chartsDir, entry.name, 'Chart.yaml')))
  .map((entry) => entry.name)
  .sort();

/** The README that readme-generator makes from values.yaml, without touching the real one. */
async function generatedReadme(chartDir) {
  const dir = await mkdtemp(join(tmpdir(), 'rtp-readme-'));
  const readme = join(dir, 'README.md');
  try {
    await copyFile(join(chartDir, 'README.md'), readme);
    // The generator narrates every skipped key and prints its findings with console.log: keep
    // the findings for the error message, drop the narration.
    const log = console.log;
    const findings = [];
    console.log = (...args) => {
      const line = args.join(' ');
      if (!line.startsWith('Skipping check')) findings.push(line);
    };
    try {
      runReadmeGenerator({ values: join(chartDir, 'values.yaml'), readme });
    } catch (error) {
      throw new Error([error.message, ...findings].join('\n'), { cause: error });
    } finally {
      console.log = log;
    }
    // Formatted like every other file of the workspace, so `npm run format` never disagrees.
    const text = await readFile(readme, 'utf8');
    const options = await prettier.resolveConfig(join(chartDir, 'README.md'));
    return await prettier.format(text, { ...options, filepath: join(chartDir, 'README.md') });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function lintChart(helm, chart) {
  const chartDir = join(chartsDir, chart);
  const problems = [];
  if (!existsSync(join(chartDir, '.helmignore'))) problems.push('no .helmignore');

  const fixturesDir = join(chartsDir, 'test', chart, 'values');
  const fixtures = existsSync(fixturesDir)
    ? readdirSync(fixturesDir)
        .filter((file) => file.endsWith('.yaml') && !file.startsWith('invalid-'))
        .sort()
        .map((file) => join(fixturesDir, file))
    : [];
  for (const valuesFiles of fixtures.length ? fixtures.map((file) => [file]) : [[]]) {
    try {
      // helm lint renders without a cluster: every chart refuses that unless told it is a preview.
      await helm.lint(chartDir, {
        valuesFiles,
        values: [{ credentials: { renderWithoutCluster: 'generate' } }],
      });
    } catch (error) {
      problems.push(`helm lint --strict ${valuesFiles.join(' ')}:\n${error.message}`);
    }
  }

  try {
    const expected = await generatedReadme(chartDir);
    const actual = await readFile(join(chartDir, 'README.md'), 'utf8');
    if (expected !== actual) {
      if (writeReadme) await writeFile(join(chartDir, 'README.md'), expected);
      else problems.push('README.md Parameters section is out of date: run `npm run readme`');
    }
  } catch (error) {
    problems.push(`values.yaml metadata (## @param) is inconsistent: ${error.message}`);
  }
  return { chart, checks: fixtures.length || 1, problems };
}

const helm = Helm.locate();
const results = await Promise.all(charts.map((chart) => lintChart(helm, chart)));
for (const { chart, checks, problems } of results) {
  const status = problems.length ? 'FAILED' : 'ok';
  console.log(`${chart}: ${status} (helm lint --strict x${checks}, README, .helmignore)`);
  for (const problem of problems) console.error(`  ${problem.replaceAll('\n', '\n    ')}`);
}
if (!charts.length) {
  console.error('no charts found');
  process.exitCode = 1;
} else if (results.some((result) => result.problems.length)) {
  process.exitCode = 1;
}
