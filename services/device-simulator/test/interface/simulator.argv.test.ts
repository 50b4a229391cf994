import { describe, expect, it } from '@jest/globals';
import { simulatorErrors } from '../../src/simulator.errors.js';
import { parseSimulatorArguments, simulatorUsage } from '../../src/interface/simulator.argv.js';

describe('parseSimulatorArguments', () => {
  it('should read `--devices 10 --rate 50` and the other flags', () => {
    expect(
      parseSimulatorArguments([
        '--devices',
        '10',
        '--rate',
        '50',
        '--seed=7',
        '--malformed-ratio',
        '0.1',
        '--spike-ratio',
        '0',
        '--qos',
        '0',
        '--connections',
        '2',
        '--topic',
        'health/other',
        '--count',
        '1000',
        '--duration',
        '1.5',
        '--device-prefix',
        'ward-3-',
      ]),
    ).toEqual({
      devices: 10,
      rate: 50,
      seed: 7,
      malformedRatio: 0.1,
      heartRateSpikeRatio: 0,
      qos: 0,
      connections: 2,
      topic: 'health/other',
      limit: 1000,
      durationMs: 1500,
      deviceIdPrefix: 'ward-3-',
    });
  });

  it('should give nothing for no arguments (env and defaults apply)', () => {
    expect(parseSimulatorArguments([])).toEqual({});
  });

  it('should recognise --help', () => {
    expect(parseSimulatorArguments(['--help'])).toEqual({ help: true });
    expect(simulatorUsage).toContain('--devices');
  });

  it.each([
    [['--devcies', '10'], 'unknown argument'],
    [['--devices'], 'needs a value'],
    [['--devices', 'ten'], 'expects an integer'],
    [['--devices', '1.5'], 'expects an integer'],
    [['--rate', 'fast'], 'expects a number'],
  ])('should refuse %j (%s)', (argv, reason) => {
    expect(() => parseSimulatorArguments(argv)).toThrow(
      expect.objectContaining({
        code: simulatorErrors.ARGUMENT_INVALID.code,
        message: expect.stringContaining(reason),
      }),
    );
  });
});
