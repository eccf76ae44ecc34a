import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createContext } from '../context.js';
import { idleScreens } from '../idle/screens.js';
import { isLanguage } from '../i18n/messages.js';
import { createLogger } from '../logger.js';
import { getModel, isModelId, MODEL_IDS } from '../phones/models.js';
import type { Command } from './command.js';

const USAGE =
  'ciscophone idle-preview --model 7941 --out FILE.png [--config FILE] [--phone LABEL|SEP…] [--lang en|de] [--at 2025-06-03T14:05] [--scale N]';

/** `ciscophone idle-preview`: writes the idle picture of a model (or of a configured phone) to a PNG file. */
export const idlePreviewCommand: Command = {
  name: 'idle-preview',
  summary: 'write the idle screen of a phone model to a PNG file (7940/7960: a magnified preview)',
  usage: USAGE,
  options: {
    model: { type: 'string' },
    out: { type: 'string' },
    phone: { type: 'string' },
    lang: { type: 'string' },
    at: { type: 'string' },
    scale: { type: 'string' },
  },
  async run(io) {
    const { model, out, phone: phoneRef, lang, at, scale } = io.values as Record<string, string | undefined>;
    if (!out || (!model && !phoneRef)) {
      io.err(`usage: ${USAGE}`);
      return 2;
    }
    if (model && !isModelId(model)) {
      io.err(`unknown model ${model}; one of ${MODEL_IDS.join(', ')}`);
      return 2;
    }
    if (lang && !isLanguage(lang)) {
      io.err('--lang must be en or de');
      return 2;
    }
    const moment = at ? new Date(at) : undefined;
    if (moment && Number.isNaN(moment.getTime())) {
      io.err(`--at ${at} is not a date and time`);
      return 2;
    }
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    // Calendar snapshots of this one-shot run go to a temporary folder, not beside the config.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ciscophone-idle-'));
    try {
      const config = { ...loaded.config, server: { ...loaded.config.server, dataDir } };
      const log = createLogger('error', process.stderr);
      const ctx = createContext({ config, log, ephemeral: true, ...(moment ? { clock: () => moment } : {}) });
      const phone = phoneRef ? ctx.inventory.find(phoneRef) : undefined;
      if (phoneRef && !phone) {
        io.err(`no phone ${phoneRef} in the configuration`);
        return 1;
      }
      await ctx.calendar.refresh();
      const screen = await idleScreens(ctx).screen({
        caps: model ? getModel(model as Parameters<typeof getModel>[0]) : phone!.caps,
        language: (lang as 'en' | 'de' | undefined) ?? phone?.language ?? config.defaults.language ?? 'en',
        timeZone: phone?.timeZone ?? config.defaults.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
        ...(phone ? { phone } : {}),
        previewScale: scale ? Number(scale) : 2,
      });
      await writeFile(out, screen.png);
      const size = screen.cip ? `${screen.target.width}×${screen.target.height} CIP, preview` : `${screen.target.width}×${screen.target.height}`;
      io.out(`${out}: ${size} (${screen.png.length} bytes)`);
      return 0;
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  },
};
