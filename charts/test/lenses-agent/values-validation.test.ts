import { describe, expect, it } from '@jest/globals';
import { renderFailure } from '../support/render-chart.js';

const chart = 'lenses-agent';

describe('lenses-agent: values that must be refused', () => {
  it('refuses to render until the EULA is accepted, saying how to accept it', async () => {
    const message = await renderFailure(chart, { fixtures: ['invalid-eula-not-accepted'] });
    expect(message).toContain(
      'acceptEULA: the Lenses EULA (https://lenses.io/legals/eula) is not accepted. The Lenses Agent does not start without it: set acceptEULA=true',
    );
  });

  it('lists every missing value of the defaults in one message', async () => {
    const message = await renderFailure(chart);
    for (const value of [
      'acceptEULA:',
      'hq.host:',
      'kafka.bootstrapServers:',
      'hq.auth.existingSecret:',
    ]) {
      expect(message).toContain(value);
    }
  });

  it('needs no HQ credentials when the agent key already exists', async () => {
    const message = await renderFailure(chart, {
      values: [{ agentKey: { existingSecret: 'my-key' } }],
    });
    expect(message).not.toContain('hq.auth.existingSecret:');
  });

  it.each([
    [
      'a bootstrap server with a protocol prefix',
      { kafka: { bootstrapServers: ['PLAINTEXT://k:9092'] } },
      "at '/kafka/bootstrapServers/0'",
    ],
    ['an unknown Kafka protocol', { kafka: { protocol: 'PLAIN' } }, "at '/kafka/protocol'"],
    [
      'a Schema Registry URL without scheme',
      { schemaRegistry: { urls: ['sr:8081'] } },
      "at '/schemaRegistry/urls/0'",
    ],
    ['an unknown tier', { environment: { tier: 'prod' } }, "at '/environment/tier'"],
    [
      'an environment name with capitals',
      { environment: { name: 'Health' } },
      "at '/environment/name'",
    ],
    [
      'the latest tag for the Job image',
      { agentKey: { job: { image: { tag: 'latest' } } } },
      "at '/agentKey/job/image/tag'",
    ],
    ['a heap without -Xmx', { heapOpts: '-Xms512m' }, "at '/heapOpts'"],
    [
      'an unknown key',
      { kafkaBootstrap: 'k:9092' },
      "additional properties 'kafkaBootstrap' not allowed",
    ],
  ])('refuses %s, naming the value', async (_case, values, expected) => {
    const message = await renderFailure(chart, { fixtures: ['required'], values: [values] });
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toContain(expected);
  });
});
