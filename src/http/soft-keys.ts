import { coreText } from '../i18n/core-messages.js';
import type { SoftKey } from '../xml/objects.js';
import type { PhoneView } from './identify.js';

export type KeyRole = 'select' | 'exit' | 'next' | 'previous' | 'dial' | 'editDial' | 'submit' | 'back';

export interface KeySpec {
  role: KeyRole;
  /** Defaults to the built-in `SoftKey:<Role>`; paging keys need a URL. */
  url?: string;
}

const BUILT_IN: Record<KeyRole, string> = {
  select: 'SoftKey:Select',
  exit: 'SoftKey:Exit',
  next: 'SoftKey:Next',
  previous: 'SoftKey:Back',
  dial: 'SoftKey:Dial',
  editDial: 'SoftKey:EditDial',
  submit: 'SoftKey:Submit',
  back: 'SoftKey:Back',
};

/** Paging keys come and go from page to page; their places are never given to another key. */
const PAGING: readonly KeyRole[] = ['next', 'previous'];

/**
 * Softkeys at the positions this model family uses: select, next, exit and previous in their
 * fixed places, any other key in the first free position. The paging places stay free even on a
 * page without paging keys, so a key such as EditDial keeps one position on every page. Any custom
 * key removes all of the phone's defaults, so callers list every key the screen needs (Exit included).
 */
export function softKeys(view: PhoneView, keys: readonly KeySpec[]): SoftKey[] {
  const fixed = view.caps.softKeys as Partial<Record<KeyRole, number>>;
  const taken = new Set(
    [...keys.map((k) => k.role), ...PAGING].map((role) => fixed[role]).filter((p): p is number => p !== undefined),
  );
  let free = 1;
  return keys
    .map((k) => {
      let position = fixed[k.role];
      if (position === undefined) {
        while (taken.has(free)) free++;
        position = free;
        taken.add(free);
      }
      return { name: coreText(view.language, k.role), url: k.url ?? BUILT_IN[k.role], position };
    })
    .sort((a, b) => a.position - b.position);
}
