/**
 * Runs the real t3 probe (the built `t3-probe` CLI) for browser tests, with a config written to a fresh
 * temp dir and `listen: 127.0.0.1:0`; the port it got is read from its "probe started" log line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../support/procs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const PROBE_CLI = path.join(ROOT, 'probe-sidecar/bin/t3-probe.js');
export const PROBE_STARTED = /"msg":"probe started".*"listen":"([^"]+)"/;

export interface ProbeProcess {
  url: string;
  stop(): Promise<void>;
}

/** Builds the probe when its bundle is missing, so a browser test file also runs on its own. */
export function ensureProbeBuilt(): void {
  if (existsSync(path.join(ROOT, 'probe-sidecar/dist/t3-probe.js'))) {
    return;
  }
  const build = spawnSync('npm', ['run', 'build', '--workspace', 'probe-sidecar'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (build.status !== 0) {
    throw new Error(`probe build failed:\n${build.stdout}\n${build.stderr}`);
  }
}

/** Starts the probe with `configYaml` (relative paths resolve in its temp dir); `token` goes to ./token. */
export async function startProbe(configYaml: string, token?: string): Promise<ProbeProcess> {
  ensureProbeBuilt();
  const dir = mkdtempSync(path.join(tmpdir(), 't3-probe-'));
  try {
    if (token !== undefined) {
      writeFileSync(path.join(dir, 'token'), `${token}\n`);
    }
    const config = path.join(dir, 'probe.yaml');
    writeFileSync(config, configYaml);
    const server = await startServer('t3-probe', process.execPath, [PROBE_CLI, '--config', config], PROBE_STARTED, {
      cwd: dir,
    });
    return {
      url: `http://${server.address}`,
      async stop() {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
