/** Where a problem of an Application was found, in the order the steps run. */
export type ProblemSource =
  'yaml' | 'shape' | 'contract' | 'definitions' | 'vela' | 'addon' | 'crossplane' | 'helm';

/** One thing wrong with an Application, located as precisely as the step that found it can. */
export interface ApplicationProblem {
  source: ProblemSource;
  /** The component (spec.components[].name) it is about. */
  component?: string;
  /** The trait type, when it is about one of the component's traits. */
  trait?: string;
  /**
   * The field, relative to the component or trait (`properties.database`,
   * `properties.env[0].name`), or to the Application (`spec.components[1].type`) without one.
   */
  field?: string;
  message: string;
}

/** `component "health-pipeline": properties.database: must be one of "postgres", got "oracle"`. */
export function formatProblem(problem: ApplicationProblem): string {
  const where = [
    problem.component === undefined ? '' : `component ${JSON.stringify(problem.component)}`,
    problem.trait === undefined ? '' : `trait ${JSON.stringify(problem.trait)}`,
  ]
    .filter(Boolean)
    .join(' ');
  return [where, problem.field, problem.message].filter(Boolean).join(': ');
}
