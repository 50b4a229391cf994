import { renderApplication, defaultAddonParameters } from '@realtime-platform/app-render';
import { exitCodes, type Command } from '../cli/command.js';
import { addonParameters } from '../app-rendering/addon-parameter.options.js';
import {
  applicationFile,
  counted,
  progressOnTerminal,
  reportProblems,
} from '../app-rendering/application-argument.js';
import { manifestLayout, renderStages } from '../app-rendering/manifest-layout.js';
import { manifestStream, writeManifestDirectory } from '../app-rendering/manifest-output.js';

const help = `Usage: rtp render <app.yaml> [-o <dir>] [--set key=value ...]

Renders an OAM Application into every Kubernetes manifest it becomes, offline (no cluster is
contacted; vela gets a kubeconfig pointing at a closed loopback port):
  1. vela dry-run --offline, with the realtime-platform addon's definitions (those template.cue
     installs included) and the vela-core built-ins the Application uses
  2. crossplane render of every claim (RealtimePlatformClaim, IotBrokerClaim) with the addon's
     Composition and its functions (function-compose-platform, function-auto-ready) run locally
  3. helm template of the chart every composed provider-helm Release installs, from charts/, with
     the Release's values, release name and namespace
It validates first, exactly as \`rtp validate\` does.

Options:
  -o, --output <dir>   write one file per object instead of printing: <dir>/${renderStages.application}/,
                       ${renderStages.claims}/, ${renderStages.composed}/<claim>/, ${renderStages.helm}/<release>/
                       (those four folders are replaced), then print a summary. Secrets (generated
                       credentials) are written with mode 0600: readable by their owner only
  --set <key=value>    an addon parameter, as \`vela addon enable realtime-platform key=value\` takes
                       it; repeatable; dotted keys for nested ones. E.g. overrideWebservice=true
                       (the requirements' \`type: webservice\` with \`realtime:\`), lenses.acceptEULA=true
                       (platforms with streamProcessing: lenses). chartRepository defaults to
                       ${String(defaultAddonParameters.chartRepository)}
  -h, --help           show this help

Without -o the manifests go to stdout as one multi-document YAML, each document headed by
"# Source: <stage>/<file>"; warnings go to stderr.

Exit codes: 0 rendered; 1 a tool failed or is missing (npm run setup -- --with-go-tools builds
vela, crossplane, cue and the functions); 2 usage (no or missing file, bad option); 3 the
Application is invalid, or a chart refuses the values the composition gives it (each problem on
stderr, naming component and field).`;

export const renderCommand: Command = {
  name: 'render',
  summary: 'an OAM Application to every Kubernetes manifest it becomes, offline',
  help,
  options: {
    output: { type: 'string', short: 'o' },
    set: { type: 'string', multiple: true },
  },
  async run({ values, positionals }) {
    const file = applicationFile(positionals);
    const output = values.output;
    const parameters = addonParameters(values.set);
    const onStep = progressOnTerminal();
    const outcome = await renderApplication(file, {
      addonParameters: parameters,
      ...(onStep ? { onStep } : {}),
    });
    if (!outcome.ok) return reportProblems('render', file, outcome.problems);
    const { rendered } = outcome;
    for (const warning of rendered.warnings) console.error(`rtp render: warning: ${warning}`);
    const files = manifestLayout(rendered);
    if (typeof output !== 'string') {
      process.stdout.write(manifestStream(files));
      return exitCodes.ok;
    }
    const { secrets } = writeManifestDirectory(output, files);
    const count = (prefix: string, noun: string) =>
      counted(files.filter((f) => f.path.startsWith(`${prefix}/`)).length, noun);
    const releases = rendered.releases.map(
      ({ templated }) =>
        `\n    ${templated.releaseName}: chart ${templated.chart.name} ${templated.chart.renderedVersion}, namespace ${templated.namespace}, ${counted(templated.objects.length, 'object')}`,
    );
    console.log(
      [
        `rendered ${file} into ${output} (${counted(files.length, 'object')}, offline):`,
        `  ${renderStages.application}  ${count(renderStages.application, 'object')} (vela dry-run, besides the claims)`,
        `  ${renderStages.claims}       ${count(renderStages.claims, 'claim')}`,
        `  ${renderStages.composed}     ${count(renderStages.composed, 'object')} (crossplane render: composites and composed resources)`,
        `  ${renderStages.helm}         ${count(renderStages.helm, 'object')} (helm template)${releases.join('')}`,
        `  ${counted(secrets, 'Secret')} written with mode 0600 (owner only): they hold credentials`,
      ].join('\n'),
    );
    return exitCodes.ok;
  },
};
