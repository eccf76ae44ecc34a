import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { parseConfig, type ResolvedConfig } from '../../src/config/load.js';
import { createContext, type AppContext } from '../../src/context.js';
import { buildApp } from '../../src/app.js';
import type { ServiceDefinition } from '../../src/http/services.js';
import { createLogger, type Logger } from '../../src/logger.js';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  config: ResolvedConfig;
  /** Temporary folder holding the config file and `data/`; removed by close(). */
  dir: string;
  close: () => Promise<void>;
}

export const DEMO_PHONES = `
phones:
  - { mac: "00:80:41:AE:FD:7E", model: "7941", label: Office, lines: [ { number: "620", password: secret-620 } ] }
  - { mac: "0019.e8a1.7970", model: "7970", label: Kitchen, language: de, lines: [ { number: "621" } ] }
  - { mac: "001120AABBCC", model: "7940", label: Hall, lines: [ { number: "622" } ] }
`;

/**
 * Builds the HTTP app (not listening; use app.inject or app.listen({ port: 0 })) for a YAML
 * config written into a temporary folder. `publicUrl` defaults to http://phones.test:8080.
 */
export async function testApp(
  yaml: string = `pbx: { host: 192.168.1.1 }\n${DEMO_PHONES}`,
  options: { clock?: () => Date; log?: Logger; env?: NodeJS.ProcessEnv; services?: ServiceDefinition[] } = {},
): Promise<TestApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ciscophone-test-'));
  const text = /publicUrl/.test(yaml) ? yaml : `server: { publicUrl: "http://phones.test:8080" }\n${yaml}`;
  const config = parseConfig(text, path.join(dir, 'ciscophone.yaml'), options.env ? { env: options.env } : {});
  const log = options.log ?? createLogger('silent');
  const ctx = createContext({ config, log, ephemeral: true, ...(options.clock ? { clock: options.clock } : {}) });
  const app = await buildApp(ctx, options.services ? { services: options.services } : {});
  await app.ready();
  return {
    app,
    ctx,
    config,
    dir,
    close: async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Request headers a real phone of this model sends. */
export function phoneHeaders(model: '7940' | '7941' | '7942' | '7945' | '7970'): Record<string, string> {
  const table = {
    '7940': { name: 'CP-7940G', display: '133, 65, 2, G', charset: 'iso-8859-1, utf-8;q=0.8' },
    '7941': { name: 'CP-7941G', display: '298, 144, 4, G', charset: 'utf-8,iso-8859-1;q=0.8' },
    '7942': { name: 'CP-7942G', display: '298,144,3,G', charset: 'utf-8,iso-8859-1;q=0.8' },
    '7945': { name: 'CP-7945G', display: '298, 156, 16, C', charset: 'utf-8,iso-8859-1;q=0.8' },
    '7970': { name: 'CP-7970G', display: '298, 168, 12, C', charset: 'utf-8,iso-8859-1;q=0.8' },
  }[model];
  return {
    'x-CiscoIPPhoneModelName': table.name,
    'x-CiscoIPPhoneDisplay': table.display,
    'x-CiscoIPPhoneSDKVersion': '6.0.2',
    'Accept-Charset': table.charset,
    'Accept-Language': 'en-US',
    'User-Agent': 'Allegro-Software-WebClient/4.34',
  };
}

/** A vCard 3.0 card with one mobile number. */
export function vcard(name: string, number: string): string {
  return `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:${name}\r\nTEL;TYPE=CELL:${number}\r\nEND:VCARD\r\n`;
}

/**
 * The demo phones with a phone book read from `book.vcf` in the test folder (holding `cards`),
 * started, and the app listening on a free loopback port (`base`: its URL); close() stops both.
 */
export async function listeningWithBook(
  cards: string,
  options: { clock?: () => Date; log?: Logger } = {},
): Promise<TestApp & { base: string; yaml: string }> {
  const yaml = `pbx: { host: 192.168.1.1 }\n${DEMO_PHONES}\ndirectory:\n  sources:\n    - { type: vcard, name: Book, path: ./book.vcf }\n`;
  const t = await testApp(yaml, options);
  writeFileSync(path.join(t.dir, 'book.vcf'), cards);
  await t.ctx.contacts.start();
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    ...t,
    yaml,
    base: `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`,
    close: async () => {
      await t.ctx.contacts.stop();
      await t.close();
    },
  };
}
