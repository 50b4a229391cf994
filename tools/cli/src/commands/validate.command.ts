import { validateApplication } from '@realtime-platform/app-render';
import { exitCodes, type Command } from '../cli/command.js';
import { addonParameters } from '../app-rendering/addon-parameter.options.js';
import {
  applicationFile,
  counted,
  progressOnTerminal,
  reportProblems,
} from '../app-rendering/application-argument.js';

const help = `Usage: rtp validate <app.yaml> [--set key=value ...]

Checks an OAM Application offline, without rendering charts, in this order (the first step that
finds problems reports them all):
  1. YAML syntax and the Application's shape (apiVersion, kind, metadata.name, components)
  2. every component and trait type is defined by the realtime-platform addon or vela-core
  3. the platform contract: the properties of every realtime-platform component, as a claim spec
     (types, allowed values, patterns, the cross-field rules the XRD enforces); a realtime
     property on vela-core's own webservice (it would be dropped)
  4. vela dry-run --offline with the addon's definitions: CUE errors, traits, unknown platform
     references, reserved env names
Each problem names the component, the trait when there is one, and the field, e.g.
  component "health-pipeline": properties.database: must be one of "postgres", "mysql", "mongodb", got "oracle"

Options:
  --set <key=value>    an addon parameter, as \`rtp render --set\` takes it (e.g. overrideWebservice=true)
  -h, --help           show this help

Exit codes: 0 valid; 1 a tool failed or is missing (npm run setup -- --with-go-tools builds vela
and cue); 2 usage (no or missing file, bad option); 3 invalid (problems on stderr).`;

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check an OAM Application offline, naming component and field of each problem',
  help,
  options: {
    set: { type: 'string', multiple: true },
  },
  async run({ values, positionals }) {
    const file = applicationFile(positionals);
    const parameters = addonParameters(values.set);
    const onStep = progressOnTerminal();
    const outcome = await validateApplication(file, {
      addonParameters: parameters,
      ...(onStep ? { onStep } : {}),
    });
    if (!outcome.ok) return reportProblems('validate', file, outcome.problems);
    const { app, objects } = outcome.validated;
    console.log(
      `${file}: valid (Application ${app.namespace}/${app.name}: ${counted(app.components.length, 'component')}, ${counted(objects.length, 'object')} from vela dry-run --offline)`,
    );
    return exitCodes.ok;
  },
};
