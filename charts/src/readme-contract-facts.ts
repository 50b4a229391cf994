// The facts of the platform contract a chart's README states in prose (the Kafka security
// protocol and SASL mechanism): each place is marked `<!-- contract:<path> -->value<!-- /contract -->`,
// <path> being a dotted path into the chart's files/contract.json, and the build writes the
// contract's value there (generatedReadmeFiles, run by scripts/generate-contract-files.js) as it
// writes contract.json, so the README cannot state another value than the one the templates read.
// A marker cannot stand inside a code span (it would show): prose only.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chartContract, chartsRoot, contractCharts } from './contract-files.js';

/** A marked fact: `<!-- contract:<path> -->` value `<!-- /contract -->`. */
const marker = /<!-- contract:([A-Za-z0-9_.-]+) -->([\s\S]*?)<!-- \/contract -->/g;

/** The value at a dotted path of a contract (a string or a number); throws when there is none. */
export function contractFact(contract: Record<string, unknown>, path: string): string {
  let node: unknown = contract;
  for (const part of path.split('.')) {
    node =
      node !== null && typeof node === 'object'
        ? (node as Record<string, unknown>)[part]
        : undefined;
  }
  if (typeof node !== 'string' && typeof node !== 'number') {
    throw new Error(
      `README marker contract:${path}: files/contract.json has no string or number there`,
    );
  }
  return String(node);
}

/** The marked facts of a README: each path with the value it states now. */
export function markedFacts(readme: string): { path: string; value: string }[] {
  return [...readme.matchAll(marker)].map(([, path, value]) => ({
    path: path as string,
    value: value as string,
  }));
}

/** The README with every marked fact set to the contract's value. */
export function withContractFacts(readme: string, contract: Record<string, unknown>): string {
  return readme.replace(
    marker,
    (_marked, path: string) =>
      `<!-- contract:${path} -->${contractFact(contract, path)}<!-- /contract -->`,
  );
}

/** The README with its marked facts left out (what it states in its own words). */
export function withoutMarkedFacts(readme: string): string {
  return readme.replace(marker, '');
}

/** Each contract chart's README.md that marks a fact, as the generator writes it (path: text). */
export async function generatedReadmeFiles(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const chart of contractCharts) {
    const path = `${chart}/README.md`;
    const readme = await readFile(join(chartsRoot, path), 'utf8');
    if (markedFacts(readme).length === 0) continue;
    files[path] = withContractFacts(readme, chartContract(chart));
  }
  return files;
}
