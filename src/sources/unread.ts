/**
 * What a source's content did not give up: every card or event that was skipped or read only in
 * part, one line each (where, which item, why), for the log and the source's status.
 */

/** Status and log show this many lines; the count covers them all. */
export const MAX_LISTED_UNREAD = 20;

/** Collects the reasons per item, so an item with several problems is named once. */
export class UnreadItems {
  private readonly reasons = new Map<string, string[]>();

  /** `where`: the file or resource the items come from. */
  constructor(private readonly where: string) {}

  /** `item`: how the item is named ('event "Dentist" (UID …)', 'card 3 ("Anna")'); '' for the file itself. */
  add(item: string, reason: string): void {
    const list = this.reasons.get(item);
    if (list) list.push(reason);
    else this.reasons.set(item, [reason]);
  }

  /** One line per item: `where: item: reason; reason`. */
  lines(): string[] {
    return [...this.reasons].map(([item, reasons]) => `${this.where}: ${item ? `${item}: ` : ''}${reasons.join('; ')}`);
  }
}

/** An item's name for a warning, from its title and identifier (either may be missing). */
export function itemName(kind: string, title: string | undefined, id: string | undefined, position: number): string {
  const shown = title?.trim().replace(/\s+/g, ' ').slice(0, 40);
  const parts = [shown ? `"${shown}"` : '', id ? `(UID ${id.slice(0, 60)})` : ''].filter(Boolean);
  return `${kind} ${parts.length ? parts.join(' ') : position}`;
}

/** How warnings name a CalDAV/CardDAV resource: its path, decoded where it can be. */
export function resourceName(url: string): string {
  const { pathname } = new URL(url);
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
