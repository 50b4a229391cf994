// Every pod template a render holds (Deployments, StatefulSets, Jobs, CronJobs), with where it came
// from, so a check can be run on every workload of a chart in one go.
import type { Container, PodTemplate, RenderedChart } from './render-chart.js';

export interface Workload {
  kind: string;
  name: string;
  template: PodTemplate;
  /** Deployments and StatefulSets: what runs until it is told to stop (Jobs run to completion). */
  longRunning: boolean;
}

type WithSpec = { spec?: Record<string, unknown> };

/** The pod templates of every workload in the render. */
export function workloadsOf(render: RenderedChart): Workload[] {
  const workloads: Workload[] = [];
  for (const obj of render.objects) {
    const spec = (obj as WithSpec).spec ?? {};
    switch (obj.kind) {
      case 'Deployment':
      case 'StatefulSet':
        workloads.push({
          kind: obj.kind,
          name: obj.metadata.name,
          template: spec.template as PodTemplate,
          longRunning: true,
        });
        break;
      case 'Job':
        workloads.push({
          kind: obj.kind,
          name: obj.metadata.name,
          template: spec.template as PodTemplate,
          longRunning: false,
        });
        break;
      case 'CronJob': {
        const jobSpec = (spec.jobTemplate as WithSpec | undefined)?.spec ?? {};
        workloads.push({
          kind: obj.kind,
          name: obj.metadata.name,
          template: jobSpec.template as PodTemplate,
          longRunning: false,
        });
        break;
      }
      default:
        break;
    }
  }
  return workloads;
}

/** Every container (init containers included) of a pod template. */
export function containersOf(template: PodTemplate): Container[] {
  return [...template.spec.containers, ...(template.spec.initContainers ?? [])];
}

/** True when every label of `selector` is on `labels`. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}
