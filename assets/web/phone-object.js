/**
 * Reads a CiscoIPPhone XML document the way a phone's parser does (Cisco developer notes,
 * "CiscoIPPhone XML Objects"): the object, its fields, and the error the phone would show
 * instead — "XML Error [4]" for a document it cannot parse or an object that breaks the rules,
 * "XML Error [5]" for an object the model does not take.
 * Pure: takes the parsed Document (DOMParser in the page) and the model's capabilities, which
 * carry the children each object may have and the most items it may carry (`model.children`,
 * `model.most`, from the server's `src/xml/limits.ts` through `/api/ui/phones`).
 */

export class PhoneXmlError extends Error {
  constructor(code, reason) {
    super(reason);
    this.code = code;
    this.screen = `XML Error [${code}]`;
  }
}

const childElements = (el) => [...el.children];
const first = (el, name) => childElements(el).find((c) => c.tagName === name);
const text = (el, name) => first(el, name)?.textContent ?? undefined;
const all = (el, name) => childElements(el).filter((c) => c.tagName === name);

function number(el, name, fallback) {
  const raw = text(el, name);
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n)) throw new PhoneXmlError(4, `${name} is not a whole number: "${raw}"`);
  return n;
}

function softKeys(root, model) {
  const items = all(root, 'SoftKeyItem');
  if (items.length > model.most.SoftKeyItem) throw new PhoneXmlError(4, `more than ${model.most.SoftKeyItem} SoftKeyItems`);
  return items.map((item) => {
    const position = text(item, 'Position');
    // Cisco developer notes, "Troubleshooting": the updated parser needs a Position; the old one tolerates its absence.
    if (position === undefined && model.updatedParser) throw new PhoneXmlError(4, 'SoftKeyItem without Position');
    return { name: text(item, 'Name') ?? '', url: text(item, 'URL') ?? '', urlDown: text(item, 'URLDown'), position: position === undefined ? undefined : Number(position) };
  });
}

function menuItems(root, model) {
  const items = [];
  for (const item of all(root, 'MenuItem')) {
    const name = text(item, 'Name');
    // Cisco developer notes, "Troubleshooting": the old parser stops at an item without Name;
    // the updated one shows a blank line.
    if (name === undefined && !model.updatedParser) break;
    const area = first(item, 'TouchArea');
    items.push({
      name: name ?? '',
      url: text(item, 'URL') ?? '',
      iconIndex: text(item, 'IconIndex') === undefined ? undefined : Number(text(item, 'IconIndex')),
      ...(area ? { touch: ['X1', 'Y1', 'X2', 'Y2'].map((k) => Number(area.getAttribute(k))) } : {}),
    });
  }
  return items;
}

function bitmap(root) {
  return {
    x: number(root, 'LocationX', 0),
    y: number(root, 'LocationY', 0),
    width: number(root, 'Width', 0),
    height: number(root, 'Height', 0),
    depth: number(root, 'Depth', 2),
    data: (text(root, 'Data') ?? '').trim(),
  };
}

function checkBitmap(b, kind) {
  if (b.width < 1 || b.height < 1) throw new PhoneXmlError(4, `${kind} without Width/Height`);
  if (b.depth !== 1 && b.depth !== 2) throw new PhoneXmlError(4, `${kind} Depth must be 1 or 2`);
  if (!/^[0-9a-fA-F]*$/.test(b.data)) throw new PhoneXmlError(4, `${kind} Data is not hex`);
}

function limit(model, kind, count) {
  const most = model.most[kind];
  if (most !== undefined && count > most) throw new PhoneXmlError(4, `${count} items, a ${kind} takes at most ${most}`);
}

/**
 * The object in `doc` for a phone of `model` ({ objects, updatedParser, children, most }): `{ kind, … }`.
 * Throws PhoneXmlError with the phone's own message.
 */
export function readPhoneObject(doc, model) {
  if (!doc || doc.getElementsByTagName('parsererror').length > 0) throw new PhoneXmlError(4, 'the document is not well-formed XML');
  const root = doc.documentElement;
  const kind = /^CiscoIPPhone(\w+)$/.exec(root.tagName)?.[1];
  if (!kind || !(kind in model.children)) throw new PhoneXmlError(4, `<${root.tagName}> is not a CiscoIPPhone object`);
  if (kind !== 'Error' && kind !== 'Response' && !model.objects.includes(kind)) {
    throw new PhoneXmlError(5, `the ${model.modelName} does not support CiscoIPPhone${kind}`);
  }
  const stray = childElements(root).find((c) => !model.children[kind].includes(c.tagName));
  if (stray) throw new PhoneXmlError(4, `<${stray.tagName}> does not belong in CiscoIPPhone${kind}`);

  const base = { kind, title: text(root, 'Title'), prompt: text(root, 'Prompt') };
  switch (kind) {
    case 'Menu':
    case 'IconMenu':
    case 'IconFileMenu':
    case 'GraphicFileMenu': {
      const items = menuItems(root, model);
      limit(model, kind, items.length);
      const icons = all(root, 'IconItem').map((icon) => ({
        index: number(icon, 'Index', 0),
        width: number(icon, 'Width', 0),
        height: number(icon, 'Height', 0),
        depth: number(icon, 'Depth', 2),
        data: (text(icon, 'Data') ?? '').trim(),
        url: text(icon, 'URL'),
      }));
      const extra = kind === 'GraphicFileMenu' ? { x: number(root, 'LocationX', 0), y: number(root, 'LocationY', 0), url: text(root, 'URL') ?? '' } : {};
      return { ...base, ...extra, items, icons, softKeys: softKeys(root, model) };
    }
    case 'Text':
      return { ...base, text: text(root, 'Text') ?? '', softKeys: softKeys(root, model) };
    case 'Input': {
      const url = text(root, 'URL');
      if (url === undefined && model.updatedParser) throw new PhoneXmlError(4, 'CiscoIPPhoneInput without URL');
      const fields = all(root, 'InputItem').map((item) => {
        const param = text(item, 'QueryStringParam');
        if (param === undefined && model.updatedParser) throw new PhoneXmlError(4, 'InputItem without QueryStringParam');
        return { label: text(item, 'DisplayName') ?? '', param: param ?? '', value: text(item, 'DefaultValue') ?? '', flags: (text(item, 'InputFlags') ?? 'A').trim() };
      });
      limit(model, 'Input', fields.length);
      return { ...base, url: url ?? '', fields, softKeys: softKeys(root, model) };
    }
    case 'Directory': {
      const entries = all(root, 'DirectoryEntry')
        .map((e) => ({ name: text(e, 'Name'), telephone: text(e, 'Telephone') ?? '' }))
        // Cisco developer notes, "Troubleshooting": the old parser hides entries without a Name.
        .filter((e) => e.name !== undefined || model.updatedParser)
        .map((e) => ({ name: e.name ?? '', telephone: e.telephone }));
      limit(model, 'Directory', entries.length);
      return { ...base, entries, softKeys: softKeys(root, model) };
    }
    case 'Image':
    case 'GraphicMenu': {
      const image = bitmap(root);
      checkBitmap(image, kind);
      const items = kind === 'GraphicMenu' ? menuItems(root, model) : [];
      limit(model, kind, items.length);
      return { ...base, image, items, softKeys: softKeys(root, model) };
    }
    case 'ImageFile':
      return { ...base, x: number(root, 'LocationX', 0), y: number(root, 'LocationY', 0), url: text(root, 'URL') ?? '', softKeys: softKeys(root, model) };
    case 'Status':
    case 'StatusFile': {
      const image = kind === 'Status' ? bitmap(root) : undefined;
      if (image) checkBitmap(image, kind);
      return { kind, text: text(root, 'Text'), timer: number(root, 'Timer', undefined), image, url: text(root, 'URL'), x: number(root, 'LocationX', -1), y: number(root, 'LocationY', -1) };
    }
    case 'Execute': {
      const items = all(root, 'ExecuteItem').map((i) => ({ url: i.getAttribute('URL') ?? '', priority: Number(i.getAttribute('Priority') ?? 0) }));
      if (items.length === 0) throw new PhoneXmlError(4, 'CiscoIPPhoneExecute without ExecuteItem');
      limit(model, 'Execute', items.length);
      return { kind, items };
    }
    case 'Response':
      return { kind, items: all(root, 'ResponseItem').map((i) => ({ status: i.getAttribute('Status'), data: i.getAttribute('Data'), url: i.getAttribute('URL') })) };
    default:
      return { kind, number: root.getAttribute('Number'), message: root.textContent ?? '' };
  }
}

/** The phone's own key labels in its locale (English is the name itself). */
const KEY_LABELS = {
  de: { Select: 'Auswahl', Exit: 'Ende', Dial: 'Wählen', EditDial: 'Bearb.', Submit: 'Senden', Cancel: 'Abbrechen', Next: 'Weiter', Update: 'Aktual.', EndCall: 'Auflegen' },
};

/** The label a phone set to `language` shows for one of its built-in keys. */
export function keyLabel(name, language) {
  return KEY_LABELS[language]?.[name] ?? name;
}

/** The keys a phone draws itself when an object brings none (Cisco developer notes), at 79xx positions. */
export function defaultSoftKeys(object, hasRefreshUrl, language = 'en') {
  const keys = {
    Menu: [['Select', 'SoftKey:Select', 1], ['Exit', 'SoftKey:Exit', 3]],
    IconMenu: [['Select', 'SoftKey:Select', 1], ['Exit', 'SoftKey:Exit', 3]],
    IconFileMenu: [['Select', 'SoftKey:Select', 1], ['Exit', 'SoftKey:Exit', 3]],
    GraphicFileMenu: [['Select', 'SoftKey:Select', 1], ['Exit', 'SoftKey:Exit', 3]],
    Directory: [['Dial', 'SoftKey:Dial', 1], ['EditDial', 'SoftKey:EditDial', 2], ['Exit', 'SoftKey:Exit', 3]],
    Input: [['Submit', 'SoftKey:Submit', 1], ['<<', 'SoftKey:<<', 2], ['Cancel', 'SoftKey:Cancel', 3]],
  }[object.kind] ?? [['Exit', 'SoftKey:Exit', 3]];
  const list = keys.map(([name, url, position]) => ({ name, url, position }));
  // Without custom keys and nothing at position 1: Next when a Refresh URL is given, else Update.
  if (!list.some((k) => k.position === 1)) list.push(hasRefreshUrl ? { name: 'Next', url: 'SoftKey:Next', position: 1 } : { name: 'Update', url: 'SoftKey:Update', position: 1 });
  if (object.kind === 'Directory' && hasRefreshUrl) list.push({ name: 'Next', url: 'SoftKey:Next', position: 4 });
  return list.map((k) => ({ ...k, name: keyLabel(k.name, language) })).sort((a, b) => a.position - b.position);
}

/** The softkeys shown: the object's own when the model honours them, else the phone's defaults. */
export function shownSoftKeys(object, model, hasRefreshUrl, language = 'en') {
  const custom = object.softKeys ?? [];
  if (custom.length > 0 && model.customSoftKeys) {
    let next = 1;
    return custom.filter((k) => k.position !== -1).map((k) => ({ ...k, position: k.position ?? next++ })).sort((a, b) => a.position - b.position);
  }
  return defaultSoftKeys(object, hasRefreshUrl, language);
}

/** `Refresh: 12; url=http://…` → { seconds, url } (url may be undefined: reload the same page). */
export function parseRefresh(value) {
  if (!value) return undefined;
  const m = /^\s*(\d+)\s*(?:;\s*url\s*=\s*(.+))?$/i.exec(value);
  return m ? { seconds: Number(m[1]), url: m[2]?.trim() } : undefined;
}

/** Where an Input form goes on submit: its URL plus one name=value pair per field, as a 79xx sends it (GET). */
export function submitUrl(url, fields) {
  const query = fields.map((f) => `${encodeURIComponent(f.param)}=${encodeURIComponent(f.value)}`).join('&');
  if (!query) return url;
  return url + (url.includes('?') ? '&' : '?') + query;
}
