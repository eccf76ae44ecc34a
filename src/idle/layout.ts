import type { ResolvedConfig } from '../config/load.js';
import type { IdleLayoutConfig } from '../config/schema.js';
import type { Phone } from '../phones/inventory.js';

/** What a phone shows when the config says nothing: the time, the date and what comes next. */
export const DEFAULT_LAYOUT: IdleLayoutConfig = {
  widgets: [{ type: 'clock' }, { type: 'date' }, { type: 'events', count: 3 }],
};

/** The phone's own `idle:` (or `defaults.idle`), else the top-level `idle:`, else the default. */
export function layoutFor(config: ResolvedConfig, phone: Phone | undefined): IdleLayoutConfig {
  return phone?.idle ?? config.idle ?? DEFAULT_LAYOUT;
}

/** Whether the picture changes with the minute (it then refreshes on the next minute). */
export function showsTime(layout: IdleLayoutConfig): boolean {
  return layout.widgets.some((w) => w.type === 'clock' || w.type === 'date' || w.type === 'events');
}
