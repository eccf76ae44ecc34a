/** A phone book entry as every source delivers it, before indexing. */

/** Kinds of number a phone shows in brackets; anything else is a label of the user's own. */
export const NUMBER_TYPES = ['mobile', 'home', 'work', 'main', 'fax', 'pager', 'other'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

export interface ContactNumber {
  /** A NumberType, or a custom label from the card (Apple `X-ABLabel`). */
  type: string;
  /** As written in the source. */
  number: string;
}

export interface Contact {
  name: string;
  first?: string;
  last?: string;
  org?: string;
  nickname?: string;
  numbers: ContactNumber[];
}

export function isNumberType(value: string): value is NumberType {
  return (NUMBER_TYPES as readonly string[]).includes(value);
}
