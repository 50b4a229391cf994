import { describe, expect, it } from '@jest/globals';
import { applyPendingMigrations } from '../../../src/infrastructure/database/migration-ledger.js';

const migrations = ['0001', '0002', '0003'].map((version) => ({
  version,
  name: `${version}_step.sql`,
  checksum: `sum-${version}`,
}));

describe('the migration ledger (the rule every engine applies its migrations by)', () => {
  it('applies, in order, only what the ledger does not hold, and reports both', async () => {
    const ran: string[] = [];
    const result = await applyPendingMigrations(
      migrations,
      new Map([['0001', 'sum-0001']]),
      async (m) => {
        ran.push(m.version);
      },
    );
    expect(ran).toEqual(['0002', '0003']);
    expect(result).toEqual({
      applied: ['0002_step.sql', '0003_step.sql'],
      alreadyApplied: ['0001_step.sql'],
    });
  });

  it('refuses an applied migration whose content changed (MIGRATION_CHANGED), before applying anything after it', async () => {
    const ran: string[] = [];
    await expect(
      applyPendingMigrations(migrations, new Map([['0001', 'sum-edited']]), async (m) => {
        ran.push(m.version);
      }),
    ).rejects.toMatchObject({ code: 'RTP_ERR_REALTIME_SERVICE_MIGRATION_CHANGED' });
    expect(ran).toEqual([]);
  });

  it("stops at the first migration that fails, with the engine's own error", async () => {
    const failure = new Error('syntax error');
    const ran: string[] = [];
    await expect(
      applyPendingMigrations(migrations, new Map(), async (m) => {
        ran.push(m.version);
        if (m.version === '0002') throw failure;
      }),
    ).rejects.toBe(failure);
    expect(ran).toEqual(['0001', '0002']);
  });
});
