import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { zonedInstant } from '../calendar/zones.js';
import { createContext } from '../context.js';
import { safeTimeZone } from '../idle/content.js';
import { DEFAULT_PREVIEW_SCALE, MAX_PREVIEW_SCALE } from '../idle/screens.js';
import { isLanguage, type Language, LANGUAGES } from '../i18n/messages.js';
import { createLogger } from '../logger.js';
import { getModel, isModelId, MODEL_IDS } from '../phones/models.js';
import type { Command } from './command.js';
import { defaultTimeZone } from '../config/time-zone.js';

const USAGE =
  'ciscophone idle-preview --model 7941 --out FILE.png [--config FILE] [--phone LABEL|SEP…] [--lang en|de] [--at 2025-06-03T14:05] [--scale N]';

/**
 * `--at`: a date and time with an offset (…Z, …+02:00) is that instant; one without is the wall
 * clock of the picture's time zone, so `--at 2025-06-03T09:42` draws 9:42 whatever the machine's zone (a date alone: midnight).
 */
export function momentOf(at: string, timeZone: string): Date | undefined {
  const wall = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(at);
  if (wall) {
    const [year, month, day, hour, minute, second] = wall.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
    const valid = month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 59;
    return valid ? new Date(zonedInstant(year, month, day, hour, minute, second, timeZone)) : undefined;
  }
  const instant = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(at) ? new Date(at) : undefined;
  return instant && !Number.isNaN(instant.getTime()) ? instant : undefined;
}

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
      io.err(`--lang must be ${LANGUAGES.join(' or ')}`);
      return 2;
    }
    const magnify = scale === undefined ? DEFAULT_PREVIEW_SCALE : Number(scale);
    if (!Number.isInteger(magnify) || magnify < 1 || magnify > MAX_PREVIEW_SCALE) {
      io.err(`--scale must be a whole number from 1 to ${MAX_PREVIEW_SCALE}`);
      return 2;
    }
    const loaded = await io.loadConfig();
    if (!loaded) return 1;
    // Calendar snapshots of this one-shot run go to a temporary folder, not beside the config.
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ciscophone-idle-'));
    try {
      const config = { ...loaded.config, server: { ...loaded.config.server, dataDir } };
      const log = createLogger('error', process.stderr);
      let moment: Date | undefined;
      const ctx = createContext({ config, log, ephemeral: true, clock: () => moment ?? new Date() });
      const phone = phoneRef ? ctx.inventory.find(phoneRef) : undefined;
      if (phoneRef && !phone) {
        io.err(`no phone ${phoneRef} in the configuration`);
        return 1;
      }
      const timeZone = safeTimeZone(phone?.timeZone ?? defaultTimeZone(config));
      if (at) {
        moment = momentOf(at, timeZone);
        if (!moment) {
          io.err(`--at ${at} is not a date and time (2025-06-03T14:05, or with an offset: 2025-06-03T12:05Z)`);
          return 2;
        }
      }
      await ctx.calendar.refresh();
      const screen = await ctx.idle.screen({
        caps: model ? getModel(model as Parameters<typeof getModel>[0]) : phone!.caps,
        language: (lang as Language | undefined) ?? phone?.language ?? config.defaults.language ?? 'en',
        timeZone,
        ...(phone ? { phone } : {}),
        previewScale: magnify,
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
