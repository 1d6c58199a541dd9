import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openRunFirewall, prepareFirewall } from '../../grader/runner/run-firewall.ts';
import { allocateSandboxUser, GRADER, releaseSandboxUser } from '../../grader/runner/sandbox-user.ts';

/**
 * The packet filter's entries and the uid reservations belong to the grader that made them:
 * another grader starting on the same machine (a cohort, CI's parallel suites) leaves a live
 * run's entries alone, also while that run has no process, and reclaims those of a grader that
 * was killed. Needs root and nftables, as the sandbox does (CI installs nftables).
 */
const nft = '/usr/sbin/nft';
const members = (set: string): string => spawnSync(nft, ['list', 'set', 'inet', 'integration_lab', set], { encoding: 'utf8' }).stdout;

describe('the packet filter and the uid reservations of concurrent graders', () => {
  it('runs as root with nftables, as the sandbox needs', () => {
    expect(process.getuid?.(), 'these tests need root').toBe(0);
    expect(prepareFirewall(existsSync(nft) ? nft : undefined), 'nftables (apt-get install nftables)').toBe(nft);
  });

  it("keeps a live run's entries when another grader starts, though the run has no process yet", () => {
    const user = allocateSandboxUser();
    const firewall = openRunFirewall(nft, user, [{ host: '127.0.0.1', port: 45_999 }]);
    try {
      // What a second grader does first thing (sandbox-host.ts probes once per process).
      prepareFirewall(nft);
      expect(members('users')).toContain(String(user.uid));
      expect(members('allowed')).toContain(`${user.uid} . 127.0.0.1 . 45999`);
    } finally {
      firewall.remove();
      releaseSandboxUser(user);
    }
    expect(members('users')).not.toContain(String(user.uid));
    // Removing twice (the entries expired, or went by hand) is not an error.
    expect(() => firewall.remove()).not.toThrow();
  });

  it('removes the entries of a grader that is gone', () => {
    const uid = 299_990;
    const gone = '2147483646:1';
    const added = spawnSync(nft, ['-f', '-'], {
      input: `add element inet integration_lab users { ${uid} timeout 1h comment "${gone}" }\nadd element inet integration_lab allowed { ${uid} . 127.0.0.1 . 4101 timeout 1h comment "${gone}" }\n`,
      encoding: 'utf8',
    });
    expect(added.status, added.stderr).toBe(0);
    prepareFirewall(nft);
    expect(members('users')).not.toContain(String(uid));
    expect(members('allowed')).not.toContain(`${uid} . 127.0.0.1`);
  });

  it('reserves each uid for the grader that drew it until the run is over', () => {
    const user = allocateSandboxUser();
    const reservation = `/run/integration-lab/users/${user.uid}`;
    try {
      expect(readFileSync(reservation, 'utf8')).toBe(GRADER);
    } finally {
      releaseSandboxUser(user);
    }
    expect(existsSync(reservation)).toBe(false);
  });
});
