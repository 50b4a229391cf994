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
      { auth: { users: [{ username: 'a:b', passwordSecretRef: { name: 'devices', key: 'a' } }] } },
      "at '/auth/users/0/username'",
    ],
    [
      'a password reference without its key',
      { auth: { users: [{ username: 'a', passwordSecretRef: { name: 'devices' } }] } },
      "at '/auth/users/0/passwordSecretRef'",
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
              { username: 'a', passwordSecretRef: { name: 'devices', key: 'a' } },
              { username: 'a', passwordSecretRef: { name: 'devices', key: 'b' } },
            ],
          },
          tls: { enabled: true },
        },
      ],
    });
    expect(message).toContain('auth.users[1].username: "a" appears twice.');
    expect(message).toContain('tls.existingSecret: name the Secret (type kubernetes.io/tls');
  });

  it('refuses a device password in the values, naming the field and the way out (a Secret reference)', async () => {
    const message = await renderFailure(chart, {
      fixtures: ['required'],
      values: [{ auth: { users: [{ username: 'ward-7', password: 'in-clear-in-the-release' }] } }],
    });
    expect(message).toContain(
      'auth.users[0].password is refused: a device password in the values travels in clear into the release',
    );
    expect(message).toContain('passwordSecretRef: {name, key}');
  });

  it("refuses a device name that is no single topic level (a device's topic is health/device_data/<name>)", async () => {
    const message = await renderFailure(chart, {
      fixtures: ['required'],
      values: [
        {
          auth: {
            users: [{ username: 'ward/7', passwordSecretRef: { name: 'devices', key: 'ward-7' } }],
          },
        },
      ],
    });
    expect(message).toContain("at '/auth/users/0/username'");
  });
});
