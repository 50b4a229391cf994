import { describe, expect, it } from '@jest/globals';
import { checkServiceName, generatorErrors, nameVariants } from '../src/index.js';

describe('service names', () => {
  it('spells a kebab-case name every way the template does', () => {
    expect(nameVariants('ward-monitor-2')).toEqual({
      kebab: 'ward-monitor-2',
      snake: 'ward_monitor_2',
      upperSnake: 'WARD_MONITOR_2',
      pascal: 'WardMonitor2',
      camel: 'wardMonitor2',
    });
  });

  it.each([
    ['Ward-Monitor', 'uppercase'],
    ['ward--monitor', 'a double dash'],
    ['-ward', 'a leading dash'],
    ['2ward', 'a leading digit'],
    ['ward_monitor', 'an underscore'],
    ['w'.repeat(41), 'over 40 characters'],
    ['realtime-service', 'the template itself'],
  ])('refuses %s (%s)', (name) => {
    expect(() => checkServiceName(name)).toThrow(
      expect.objectContaining({ code: generatorErrors.NAME_INVALID.code }),
    );
  });
});
