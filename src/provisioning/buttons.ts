/**
 * Which button each line and key gets (pure). Lines take buttons 1…n; keys with a `button:` take
 * that one when it exists on the model and is free; the others fill the next free buttons.
 */
import type { KeyConfig, LineConfig } from '../config/schema.js';

export interface PlacedLine {
  button: number;
  /** 1-based line index (the phone's `lineIndex`). */
  index: number;
  line: LineConfig;
}

export interface PlacedKey {
  button: number;
  key: KeyConfig;
}

export interface ButtonPlan {
  lines: PlacedLine[];
  keys: PlacedKey[];
  /** What did not fit, with the reason, for `ciscophone check` and the log. */
  dropped: string[];
}

export function planButtons(lines: readonly LineConfig[], keys: readonly KeyConfig[], buttons: number): ButtonPlan {
  const taken = new Set<number>();
  const dropped: string[] = [];
  const placedLines: PlacedLine[] = [];
  lines.forEach((line, i) => {
    if (i < buttons) {
      placedLines.push({ button: i + 1, index: i + 1, line });
      taken.add(i + 1);
    } else {
      dropped.push(`line ${line.number}: the model has only ${buttons} buttons`);
    }
  });
  const placedKeys: PlacedKey[] = [];
  const waiting: KeyConfig[] = [];
  for (const key of keys) {
    if (key.button === undefined) waiting.push(key);
    else if (key.button > buttons) dropped.push(`key "${key.label}": button ${key.button} does not exist on a phone with ${buttons} buttons`);
    else if (taken.has(key.button)) dropped.push(`key "${key.label}": button ${key.button} is already in use`);
    else {
      placedKeys.push({ button: key.button, key });
      taken.add(key.button);
    }
  }
  for (const key of waiting) {
    let free = 1;
    while (taken.has(free)) free++;
    if (free > buttons) {
      dropped.push(`key "${key.label}": no free button left`);
      continue;
    }
    placedKeys.push({ button: free, key });
    taken.add(free);
  }
  placedKeys.sort((a, b) => a.button - b.button);
  return { lines: placedLines, keys: placedKeys, dropped };
}
