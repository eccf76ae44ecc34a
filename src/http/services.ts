import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import type { Language } from '../i18n/messages.js';
import type { PhoneView } from './identify.js';

/** A phone service in `services/<id>/index.ts`: a Fastify plugin plus its Services menu entry. */
export interface ServiceDefinition {
  id: string;
  /** Menu entry name per language. */
  title: Record<Language, string>;
  /** Path the menu entry opens (the plugin serves it). */
  path: string;
  /** Listed in the Services menu (default true). */
  menu?: boolean;
  /** Lower comes first (default 100). */
  order?: number;
  /** Whether a given phone sees the entry (default: every phone). */
  availableTo?: (view: PhoneView) => boolean;
  plugin: FastifyPluginAsync;
}

export function defineService(definition: ServiceDefinition): ServiceDefinition {
  return definition;
}

/** Where the service folders are: `services/` beside `src/` (or `dist/services` once built). */
export const SERVICES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../services');

/** Loads every `services/<id>/index.{js,ts}` that default-exports a service definition, by id. */
export async function discoverServices(dir: string = SERVICES_DIR): Promise<ServiceDefinition[]> {
  let entries: string[];
  try {
    entries = (await readdir(dir)).sort();
  } catch {
    return [];
  }
  const found: ServiceDefinition[] = [];
  for (const entry of entries) {
    const folder = path.join(dir, entry);
    if (!(await stat(folder)).isDirectory()) continue;
    const file = await firstExisting(folder, ['index.js', 'index.ts']);
    if (!file) continue;
    const module = (await import(pathToFileURL(file).href)) as { default?: ServiceDefinition };
    if (module.default?.plugin) found.push(module.default);
  }
  return found.sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.id.localeCompare(b.id));
}

async function firstExisting(folder: string, names: string[]): Promise<string | undefined> {
  for (const name of names) {
    const file = path.join(folder, name);
    try {
      await stat(file);
      return file;
    } catch {
      // try the next name
    }
  }
  return undefined;
}
