import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const projectRoot = new URL('../../', import.meta.url).pathname;

function lab(...args: string[]) {
  return spawnSync(process.execPath, ['bin/lab.js', ...args], { cwd: projectRoot, encoding: 'utf8', timeout: 60_000 });
}

// The trainee's environment on containers is the compose file; lab start says so rather than
// leaving `--env docker` an unknown option.
describe('lab start --env docker', () => {
  it('points to docker compose up and exits 2 without starting anything', () => {
    const result = lab('start', '--env', 'docker', '--ephemeral-ports');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("'docker compose up -d'");
    expect(result.stderr).toContain('scripts/build-images.sh');
    expect(result.stderr).toContain('--env external');
    expect(result.stdout).toBe('');
  });

  it('refuses another provider by name', () => {
    const result = lab('start', '01', '--env', 'podman');
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--env must be embedded (got 'podman')");
  });
});
