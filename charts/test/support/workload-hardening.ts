// The hardening every workload of this project's charts must have, as one check that returns
// what is missing (empty when nothing is). Shared by all chart tests.
import type { Container, PodTemplate } from './render-chart.js';

/** An image reference pinned to a tag other than `latest`, or to a digest. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop() : undefined;
  return tag !== undefined && tag !== '' && tag !== 'latest';
}

function containerProblems(container: Container, podRunsAsNonRoot: boolean): string[] {
  const problems: string[] = [];
  const where = `container ${container.name}`;
  const security = (container.securityContext ?? {}) as {
    runAsNonRoot?: boolean;
    readOnlyRootFilesystem?: boolean;
    allowPrivilegeEscalation?: boolean;
    privileged?: boolean;
    capabilities?: { drop?: string[]; add?: string[] };
  };
  if (!isPinnedImage(container.image))
    problems.push(`${where}: image ${container.image} is not pinned`);
  if (!podRunsAsNonRoot && security.runAsNonRoot !== true)
    problems.push(`${where}: may run as root (runAsNonRoot is not set)`);
  if (security.readOnlyRootFilesystem !== true)
    problems.push(`${where}: root filesystem is writable`);
  if (security.allowPrivilegeEscalation !== false)
    problems.push(`${where}: privilege escalation allowed`);
  if (security.privileged) problems.push(`${where}: privileged`);
  if (!security.capabilities?.drop?.includes('ALL'))
    problems.push(`${where}: capabilities not dropped`);
  if (security.capabilities?.add?.length) problems.push(`${where}: adds capabilities`);
  for (const kind of ['requests', 'limits'] as const) {
    const resources = container.resources?.[kind] ?? {};
    if (!resources.cpu || !resources.memory) problems.push(`${where}: no cpu/memory ${kind}`);
  }
  return problems;
}

/** What a pod template lacks of: pinned images, non-root, read-only root, no capabilities, resources. */
export function hardeningProblems(template: PodTemplate): string[] {
  const podSecurity = (template.spec.securityContext ?? {}) as {
    runAsNonRoot?: boolean;
    runAsUser?: number;
  };
  const podRunsAsNonRoot = podSecurity.runAsNonRoot === true && podSecurity.runAsUser !== 0;
  return [...template.spec.containers, ...(template.spec.initContainers ?? [])].flatMap(
    (container) => containerProblems(container, podRunsAsNonRoot),
  );
}
