import { describe, expect, it } from '@jest/globals';
import { contractErrorDocs, contractErrors } from '../src/index.js';

describe('contractErrors', () => {
  it('derives every code from RTP_ERR_CONTRACT and its key', () => {
    for (const [key, factory] of Object.entries(contractErrors)) {
      expect(factory.code).toBe(`RTP_ERR_CONTRACT_${key}`);
    }
  });

  it('documents exactly the codes of the table', () => {
    expect(Object.keys(contractErrorDocs).sort()).toEqual(Object.keys(contractErrors).sort());
  });

  it('makes no contract error retriable: a bad claim or secret stays bad', () => {
    const error = contractErrors.ENV_KEY_MISSING({ secret: 's', key: 'k' });
    expect(error.retriable).toBe(false);
  });
});
