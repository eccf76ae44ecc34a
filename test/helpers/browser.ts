/**
 * Browser tests of the owner's page: the real server (startServer) on loopback ports from a config
 * in a temp folder, and Debian's Chromium driven by playwright-core.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { loadConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface WebServer {
  running: RunningServer;
  baseUrl: string;
  tftpPort: number;
  /** The TFTP root (files put here are served as they are). */
  tftpRoot: string;
  dir: string;
  close(): Promise<void>;
}

/**
 * Starts everything for `body` (YAML after the `server:` section; phones, sources, admin, …) with
 * HTTP on a free port, TFTP on a free port, provisioning HTTP off.
 */
export async function startWebServer(body: string): Promise<WebServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-web-'));
  const tftpRoot = path.join(dir, 'tftp');
  mkdirSync(tftpRoot);
  const file = path.join(dir, 'ciscophone.yaml');
  writeFileSync(
    file,
    `server:
  publicUrl: "http://phones.test:8080"
  http: { host: 127.0.0.1, port: 0 }
  tftp: { host: 127.0.0.1, port: 0, root: ./tftp }
  provisioningHttp: { enabled: false }
  logLevel: silent
${body}`,
  );
  const config = await loadConfig(file);
  const running = await startServer({ config, configFile: file, log: createLogger('silent') });
  const { port } = running.http.server.address() as AddressInfo;
  return {
    running,
    baseUrl: `http://127.0.0.1:${port}`,
    tftpPort: running.tftp!.address()!.port,
    tftpRoot,
    dir,
    close: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
