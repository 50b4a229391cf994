import { describe, expect, it } from '@jest/globals';
import { renderFailure } from '../support/render-chart.js';

const chart = 'lenses-hq';

describe('lenses-hq: values that must be refused', () => {
  it('refuses to render until the EULA is accepted, saying how to accept it', async () => {
    const message = await renderFailure(chart, { fixtures: ['invalid-eula-not-accepted'] });
    expect(message).toMatch(
      /license\.acceptEULA: the Lenses EULA \(https:\/\/lenses\.io\/legals\/eula\) is not accepted/,
    );
    expect(message).toContain('set license.acceptEULA=true');
  });

  it('lists every problem of the defaults in one message: EULA and licence Secret', async () => {
    const message = await renderFailure(chart);
    expect(message).toContain('license.acceptEULA:');
    expect(message).toContain(
      'license.existingSecret: name the Secret that holds the Lenses licence key',
    );
  });

  it('refuses a password in values together with an existing credentials Secret', async () => {
    const message = await renderFailure(chart, {
      fixtures: ['required'],
      values: [{ auth: { existingSecret: 'mine', adminPassword: 'long-enough-password' } }],
    });
    expect(message).toContain('auth.adminPassword: leave it empty when auth.existingSecret is set');
  });

  it('refuses two listeners on one port', async () => {
    const message = await renderFailure(chart, {
      fixtures: ['required'],
      values: [{ agents: { port: 9991 } }],
    });
    expect(message).toContain(
      'http.port, agents.port, metrics.port: they must differ (got 9991, 9991, 9090)',
    );
  });

  it.each([
    ['a port given as text', { http: { port: 'ninety' } }, "at '/http/port'"],
    ['the latest tag', { image: { tag: 'latest' } }, "at '/image/tag'"],
    [
      'a well-known weak admin password',
      { auth: { adminPassword: 'admin' } },
      "at '/auth/adminPassword'",
    ],
    ['an unknown key', { licence: { key: 'x' } }, "additional properties 'licence' not allowed"],
    ['an unknown log level', { logger: { level: 'verbose' } }, "at '/logger/level'"],
    [
      'an invalid Secret name',
      { license: { existingSecret: 'Not_A_Name' } },
      "at '/license/existingSecret'",
    ],
  ])('refuses %s, naming the value', async (_case, values, expected) => {
    const message = await renderFailure(chart, { fixtures: ['required'], values: [values] });
    expect(message).toContain("values don't meet the specifications of the schema");
    expect(message).toContain(expected);
  });
});
