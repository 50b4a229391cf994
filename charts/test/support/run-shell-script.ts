// Runs a chart's shell script for real with the system's POSIX sh (dash on Debian), with an
// environment made only of PATH, TMPDIR and what the test gives, so the script cannot lean on the
// developer's shell.
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';

export interface ScriptResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function runShellScript(
  scriptPath: string,
  env: Record<string, string>,
  timeoutMs = 30_000,
  args: readonly string[] = [],
): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [scriptPath, ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmpdir(), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: timeoutMs,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}
