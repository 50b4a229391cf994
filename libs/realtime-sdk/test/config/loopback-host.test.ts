import { describe, expect, it } from '@jest/globals';
import { isLoopbackHost, jwksUrlProblem } from '../../src/index.js';

describe('isLoopbackHost', () => {
  it('should know loopback addresses and names, and nothing else', () => {
    for (const host of ['127.0.0.1', '127.8.9.1', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect([host, isLoopbackHost(host)]).toEqual([host, true]);
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '192.0.2.2',
      'example.org',
      'localhost.evil.org',
      undefined,
    ])
      expect([host, isLoopbackHost(host)]).toEqual([host, false]);
  });
});

describe('jwksUrlProblem', () => {
  it('should accept https anywhere and http on loopback only', () => {
    expect(jwksUrlProblem('https://id.example/jwks')).toBeUndefined();
    expect(jwksUrlProblem('http://127.0.0.1:8080/jwks')).toBeUndefined();
    expect(jwksUrlProblem('http://id.example/jwks')).toMatch(/must be https/);
    expect(jwksUrlProblem('ftp://id.example/jwks')).toMatch(/https/);
    expect(jwksUrlProblem('not a url')).toMatch(/URL/);
  });
});
