/**
 * Counts and lengths the phones accept (Cisco's developer notes and CiscoIPPhone.xsd, the stricter
 * where they differ). Lengths count characters (code points) of the text as sent, after
 * transliteration for ISO-8859-1.
 */
export const LIMITS = {
  // Occurrence counts per object
  menuItems: 100,
  iconMenuItems: 32,
  /** GraphicMenu and GraphicFileMenu (keypad keys 1-12). */
  graphicMenuItems: 12,
  directoryEntries: 32,
  inputItems: 5,
  executeItems: 3,
  /** At most one http(s) URL per Execute (the rest must be internal URIs). */
  executeHttpItems: 1,
  softKeys: 8,
  iconItems: 10,
  /** Carriage returns a MenuItem Name may contain (up to three display lines). */
  menuItemNameBreaks: 2,

  // Field lengths
  title: 32,
  prompt: 32,
  menuItemName: 64,
  text: 4000,
  /** DisplayName, QueryStringParam and DefaultValue of an InputItem. */
  inputField: 32,
  inputFlags: 3,
  directoryName: 32,
  directoryTelephone: 32,
  softKeyName: 32,
  statusText: 32,
  errorMessage: 256,
  url: 255,

  // Numeric ranges
  iconIndex: { min: 0, max: 9 },
  softKeyPosition: { min: 1, max: 8, applications: -1 },
  image: { x: { min: -1, max: 133 }, y: { min: -1, max: 65 }, width: { min: 1, max: 133 }, height: { min: 1, max: 65 } },
  imageFile: { x: { min: -1, max: 320 }, y: { min: -1, max: 320 } },
  touchArea: { min: 0, max: 320 },
  status: { x: { min: -1, max: 106 }, y: { min: -1, max: 21 }, width: { min: 1, max: 106 }, height: { min: 1, max: 21 } },
  statusTimer: { min: 0, max: 5939 },
  icon: { width: { min: 1, max: 16 }, height: { min: 1, max: 10 } },
  executePriority: { min: 0, max: 2 },
  errorNumber: { min: -32768, max: 32767 },
} as const;

/**
 * Hex digits of CIP `<Data>` for an image (CIP packing, Cisco developer notes 7.1(3),
 * CiscoIPPhoneImage): one byte per 4 (depth 2) or 8 (depth 1) pixels.
 */
export function cipDataLength(width: number, height: number, depth: 1 | 2): number {
  return 2 * Math.ceil((width * height * depth) / 8);
}

/**
 * Child elements each CiscoIPPhone object may have, in schema order (CiscoIPPhone.xsd): a phone's
 * parser rejects any other ("XML Error [4]"). The serializer writes them in this order, the tests
 * check every document against it, and the owner page's emulator gets it with each model
 * (`/api/ui/phones`).
 */
export const OBJECT_CHILDREN = {
  Menu: ['Title', 'Prompt', 'MenuItem', 'SoftKeyItem'],
  Text: ['Title', 'Prompt', 'Text', 'SoftKeyItem'],
  Input: ['Title', 'Prompt', 'URL', 'InputItem', 'SoftKeyItem'],
  Directory: ['Title', 'Prompt', 'DirectoryEntry', 'SoftKeyItem'],
  Image: ['Title', 'Prompt', 'LocationX', 'LocationY', 'Width', 'Height', 'Depth', 'Data', 'SoftKeyItem'],
  ImageFile: ['Title', 'Prompt', 'LocationX', 'LocationY', 'URL', 'SoftKeyItem'],
  GraphicMenu: ['Title', 'Prompt', 'LocationX', 'LocationY', 'Width', 'Height', 'Depth', 'Data', 'MenuItem', 'SoftKeyItem'],
  // The PNG URL comes before the location here (unlike ImageFile).
  GraphicFileMenu: ['Title', 'Prompt', 'URL', 'LocationX', 'LocationY', 'MenuItem', 'SoftKeyItem'],
  IconMenu: ['Title', 'Prompt', 'MenuItem', 'IconItem', 'SoftKeyItem'],
  IconFileMenu: ['Title', 'Prompt', 'MenuItem', 'IconItem', 'SoftKeyItem'],
  Status: ['Text', 'Timer', 'LocationX', 'LocationY', 'Width', 'Height', 'Depth', 'Data'],
  StatusFile: ['Text', 'Timer', 'LocationX', 'LocationY', 'URL'],
  Execute: ['ExecuteItem'],
  Response: ['ResponseItem'],
  Error: [],
} as const satisfies Record<string, readonly string[]>;

/** Child elements of the repeated items, in schema order. */
export const ITEM_CHILDREN = {
  MenuItem: ['IconIndex', 'Name', 'URL', 'TouchArea'],
  SoftKeyItem: ['Name', 'URL', 'URLDown', 'Position'],
  InputItem: ['DisplayName', 'QueryStringParam', 'InputFlags', 'DefaultValue'],
  DirectoryEntry: ['Name', 'Telephone'],
  IconItem: ['Index', 'Width', 'Height', 'Depth', 'Data', 'URL'],
} as const satisfies Record<string, readonly string[]>;

/** The most items one object may carry, by object kind (and `SoftKeyItem` for the softkeys of any object). */
export const MOST_ITEMS = {
  Menu: LIMITS.menuItems,
  IconMenu: LIMITS.iconMenuItems,
  IconFileMenu: LIMITS.iconMenuItems,
  GraphicMenu: LIMITS.graphicMenuItems,
  GraphicFileMenu: LIMITS.graphicMenuItems,
  Directory: LIMITS.directoryEntries,
  Input: LIMITS.inputItems,
  Execute: LIMITS.executeItems,
  SoftKeyItem: LIMITS.softKeys,
} as const;
