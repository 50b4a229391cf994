import type { HealthData } from '@realtime-platform/health-domain';

/**
 * Readings of a fleet of devices with slowly varying, always valid vitals (as the device simulator
 * sends them), as `device_data` records: key = deviceId, value = the JSON reading.
 */
export function fleetReading(n: number, devices: number, base: number): HealthData {
  const device = n % devices;
  const step = Math.floor(n / devices);
  const wave = (period: number, amplitude: number): number =>
    Math.round(amplitude * Math.sin((2 * Math.PI * (step + device)) / period));
  return {
    deviceId: `device-${String(device).padStart(5, '0')}`,
    timestamp: base + n,
    heartRate: 72 + wave(60, 12),
    systolic: 122 + wave(90, 10),
    diastolic: 80 + wave(90, 6),
    oxygenSaturation: 97 + wave(45, 2),
    bodyTemperature: Math.round((36.8 + wave(120, 3) / 10) * 10) / 10,
    latitude: 52.52 + device / 10_000,
    longitude: 13.405 - device / 10_000,
  };
}

export function fleetRecords(
  count: number,
  devices = 1000,
  base = Date.now() - count,
): { key: string; value: Buffer }[] {
  return Array.from({ length: count }, (_, n) => {
    const reading = fleetReading(n, devices, base);
    return { key: reading.deviceId, value: Buffer.from(JSON.stringify(reading)) };
  });
}
