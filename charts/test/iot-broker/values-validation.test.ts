import { describe, expect, it } from '@jest/globals';
import { renderFailure } from '../support/render-chart.js';

const chart = 'iot-broker';

describe('iot-broker: values that must be refused', () => {
  it('refuses to render without the platform name', async () => {
    const message = await renderFailure(chart, { fixtures: ['invalid-no-name'] });
    expect(message).toContain("at '': missing property 'name'");
  });

  it.each([
    ['a name that is not a DNS label', { name: 'Health_Data' }, "at '/name'"],
    [
      'a user name with a colon',
      { auth: { users: [{ username: 'a:b', password: 'x' }] } },
      "at '/auth/users/0/username'",
    ],
    [
      'an empty password',
      { auth: { users: [{ username: 'a', password: '' }] } },
      "at '/auth/users/0/password'",
    ],
    ['the latest tag', { image: { tag: 'latest' } }, "at '/image/tag'"],
    [
      'an unknown key',
      { persistance: { enabled: false } },
      "additional properties 'persistance' not allowed",
    ],
    ['an unknown log type', { config: { logTypes: ['verbose'] } }, "at '/config/logTypes/0'"],
    [
      'a multi-line extra configuration entry',
      { config: { extra: ['a\nb'] } },
      "at '/config/extra/0'",
    ],
  ])('refuses %s, naming the value', async (_case, values, expected) => {
    const message = await renderFailure(chart, { fixtures: ['required'], values: [values] });
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toContain(expected);
  });

  it('lists every problem the template finds in one message', async () => {
    const message = await renderFailure(chart, {
      fixtures: ['required'],
      values: [
        {
          auth: {
            users: [
              { username: 'a', password: 'x' },
              { username: 'a', password: 'y' },
            ],
          },
          tls: { enabled: true },
        },
      ],
    });
    expect(message).toContain('auth.users[1].username: "a" appears twice.');
    expect(message).toContain('tls.existingSecret: name the Secret (type kubernetes.io/tls');
  });

  it("refuses a device name that is no single topic level (a device's topic is health/device_data/<name>)", async () => {
    const message = await renderFailure(chart, {
      fixtures: ['required'],
      values: [{ auth: { users: [{ username: 'ward/7', password: 'x' }] } }],
    });
    expect(message).toContain("at '/auth/users/0/username'");
  });
});
