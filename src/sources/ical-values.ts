/**
 * ical.js reads a property's value only when it is first used, so a broken date or duration
 * (`DTEND:garbage`) throws later, wherever the value is needed. Reading the values an item needs
 * up front turns that into a property left out, with a reason, instead of a lost item.
 */
import type ICAL from 'ical.js';

/** Removes each of these properties whose value cannot be read; one reason per property removed. */
export function dropUnreadableProperties(component: ICAL.Component, names: readonly string[]): string[] {
  const reasons: string[] = [];
  for (const name of names) {
    for (const prop of component.getAllProperties(name)) {
      try {
        prop.getValues();
      } catch (err) {
        component.removeProperty(prop);
        reasons.push(`${name.toUpperCase()} not read (${(err as Error).message.split('\n')[0]})`);
      }
    }
  }
  return reasons;
}
