import { describe, expect, it } from '@jest/globals';
import { deviceMqttTopic } from '@realtime-platform/platform-contract';
import {
  defaultSimulationOptions,
  resolveSimulationOptions,
} from '../../../src/application/simulation.options.js';
import { simulationOptionsFromEnv } from '../../../src/infrastructure/config/service-config.js';
import { simulatorErrors } from '../../../src/simulator.errors.js';

describe('simulationOptionsFromEnv', () => {
  it("should default to the contract's catalog defaults", () => {
    expect(simulationOptionsFromEnv({})).toEqual({
      devices: 10,
      rate: 50,
      seed: 1,
      malformedRatio: 0,
      heartRateSpikeRatio: 0.001,
      qos: 1,
      connections: 1,
      topic: deviceMqttTopic,
    });
  });

  it('should read the RTP_SIM_* variables and RTP_MQTT_TOPIC', () => {
    expect(
      simulationOptionsFromEnv({
        RTP_SIM_DEVICES: '200',
        RTP_SIM_RATE: '2500.5',
        RTP_SIM_SEED: '9',
        RTP_SIM_MALFORMED_RATIO: '0.05',
        RTP_SIM_HEART_RATE_SPIKE_RATIO: '0.01',
        RTP_SIM_QOS: '0',
        RTP_SIM_CONNECTIONS: '4',
        RTP_MQTT_TOPIC: 'ward/7',
      }),
    ).toEqual({
      devices: 200,
      rate: 2500.5,
      seed: 9,
      malformedRatio: 0.05,
      heartRateSpikeRatio: 0.01,
      qos: 0,
      connections: 4,
      topic: 'ward/7',
    });
  });

  it('should name every malformed variable at once', () => {
    expect(() => simulationOptionsFromEnv({ RTP_SIM_DEVICES: 'x', RTP_SIM_RATE: 'y' })).toThrow(
      expect.objectContaining({
        code: simulatorErrors.OPTIONS_INVALID.code,
        message: expect.stringMatching(/RTP_SIM_DEVICES[\s\S]*RTP_SIM_RATE/),
      }),
    );
  });
});

describe('resolveSimulationOptions', () => {
  it('should merge the defaults', () => {
    expect(resolveSimulationOptions({ devices: 3, rate: 10 })).toEqual({
      ...defaultSimulationOptions,
      devices: 3,
      rate: 10,
    });
  });

  it('should list every out-of-range option', () => {
    expect(() =>
      resolveSimulationOptions({
        devices: 0,
        rate: -1,
        malformedRatio: 1.5,
        qos: 2 as 0,
        topic: 'health/#',
      }),
    ).toThrow(
      expect.objectContaining({
        code: simulatorErrors.OPTIONS_INVALID.code,
        message: expect.stringMatching(
          /devices[\s\S]*rate[\s\S]*topic[\s\S]*qos[\s\S]*malformedRatio/,
        ),
      }),
    );
  });
});
