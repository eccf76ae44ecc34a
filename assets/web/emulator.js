/**
 * A phone's services client in the page: fetches a path as the phone would (through the server's
 * preview API), reads the object, keeps the URL history (Expires), follows menu items, softkeys
 * and internal URIs, submits Input forms the way a 79xx does, and honours Refresh, as Cisco's
 * developer notes describe. Errors look like the phone's own (their "Troubleshooting" chapter).
 */
import { keyLabel, parseRefresh, PhoneXmlError, readPhoneObject, shownSoftKeys, submitUrl } from './phone-object.js';
import { renderScreen } from './screen.js';

const HOME = { kind: 'Text', title: '', text: '', prompt: '', softKeys: [] };

export class PhoneEmulator {
  /**
   * @param {{ container: HTMLElement, fetchPreview: (path: string, model: string) => Promise<any>,
   *           onChange?: (info: object) => void, maxWidth?: () => number }} options
   *   maxWidth: the page pixels the screen may take (narrow windows draw it smaller).
   */
  constructor(options) {
    this.container = options.container;
    this.fetchPreview = options.fetchPreview;
    this.onChange = options.onChange ?? (() => {});
    this.maxWidth = options.maxWidth ?? (() => Infinity);
    this.history = [];
    this.current = undefined;
    this.timer = undefined;
    this.loads = 0;
  }

  /** Which phone (or model) is emulated; clears the history. */
  setTarget({ model, name, lineLabel, publicUrl, language, timeZone }) {
    this.model = model;
    this.name = name;
    this.language = language ?? 'en';
    this.timeZone = timeZone;
    this.lineLabel = lineLabel ?? model.modelName;
    this.publicUrl = publicUrl;
    this.history = [];
    this.show({ path: undefined, object: HOME, note: 'Pick a screen to open.' });
  }

  /** The path of `/services` etc. for the current phone: name=SEP… for a phone, model= for a bare model. */
  pathFor(route) {
    const query = this.name ? `name=${encodeURIComponent(this.name)}` : `model=${this.model.id}`;
    return `${route}${route.includes('?') ? '&' : '?'}${query}`;
  }

  /** Opens a screen from scratch, as pressing the Services button does. */
  open(route) {
    this.history = [];
    this.current = undefined;
    return this.load(this.pathFor(route), { push: false });
  }

  /** Server path of an absolute URL from the XML (the phone's URLs carry server.publicUrl). */
  pathOf(url) {
    if (url.startsWith('/')) return url;
    try {
      const u = new URL(url);
      if (!/^https?:$/.test(u.protocol)) return undefined;
      const own = this.publicUrl ? new URL(this.publicUrl) : undefined;
      if (own && u.host !== own.host) return undefined;
      return u.pathname + u.search;
    } catch {
      return undefined;
    }
  }

  /** @param {string} path @param {{ push?: boolean, defaultTitle?: string }} [options] */
  async load(path, { push = true, defaultTitle = undefined } = {}) {
    clearTimeout(this.timer);
    if (push && this.current?.path && !this.current.expired) this.history.push({ path: this.current.path, title: this.current.title });
    const seq = ++this.loads;
    const page = { path, title: defaultTitle };
    let reply;
    try {
      reply = await this.fetchPreview(path, this.model.id);
    } catch {
      reply = { failed: true };
    }
    if (seq !== this.loads) return; // a newer navigation won
    page.reply = reply;
    if (reply.failed || reply.status === 0) page.error = ['HTTP Error [10]', 'the HTTP connection failed'];
    else if (reply.status < 200 || reply.status >= 300) page.error = ['HTTP Error [8]', `the server answered HTTP ${reply.status}`];
    else {
      const type = (reply.headers.contentType || '').toLowerCase();
      if (type.startsWith('text/xml')) {
        try {
          page.object = readPhoneObject(new DOMParser().parseFromString(reply.body, 'text/xml'), this.model);
        } catch (err) {
          if (!(err instanceof PhoneXmlError)) throw err;
          page.error = [err.screen, err.message];
        }
      } else if (type.startsWith('text/plain') || type.startsWith('text/html')) {
        // Cisco developer notes: other text is shown like a CiscoIPPhoneText without Title and Prompt.
        const text = type.startsWith('text/html') ? new DOMParser().parseFromString(reply.body, 'text/html').body.textContent : reply.body;
        page.object = { kind: 'Text', text, softKeys: [] };
      } else if (type.startsWith('image/png') && this.model.objects.includes('ImageFile')) {
        page.object = { kind: 'ImageFile', x: 0, y: 0, url: path, softKeys: [] };
        page.images = { [path]: `data:image/png;base64,${reply.body}` };
      } else if (type.startsWith('audio/basic')) {
        page.object = { kind: 'Text', title: '', text: '♪ (the phone plays this sound)', softKeys: [] };
      } else {
        page.error = ['HTTP Error [8]', `the phone cannot show ${type || 'a body without Content-Type'}`];
      }
    }
    page.refresh = parseRefresh(reply.headers?.refresh);
    const expires = reply.headers?.expires ? Date.parse(reply.headers.expires) : NaN;
    // Cisco developer notes (Expires): a page already expired when it loads does not go on the URL stack.
    page.expired = Number.isFinite(expires) && expires <= Date.now();
    await this.loadImages(page);
    if (seq !== this.loads) return;
    this.show(page);
    if (page.refresh && page.refresh.seconds > 0) {
      const next = page.refresh.url ? this.pathOf(page.refresh.url) : path;
      if (next) this.timer = setTimeout(() => this.load(next, { push: false }), page.refresh.seconds * 1000);
    }
  }

  /** PNGs an object names (ImageFile, GraphicFileMenu, IconFileMenu icons, StatusFile), fetched as the phone would. */
  async loadImages(page) {
    page.images ??= {};
    const o = page.object;
    if (!o) return;
    const urls = [o.kind.endsWith('File') || o.kind === 'GraphicFileMenu' ? o.url : undefined, ...(o.icons ?? []).map((i) => i.url)].filter(Boolean);
    for (const url of urls) {
      if (page.images[url]) continue;
      const path = this.pathOf(url);
      if (!path) continue;
      try {
        const r = await this.fetchPreview(path, this.model.id);
        if (r.status === 200 && /^image\/png/i.test(r.headers.contentType)) page.images[url] = `data:image/png;base64,${r.body}`;
      } catch {
        // The phone leaves the picture out.
      }
    }
  }

  show(page) {
    this.current = { ...page, selected: 0, values: (page.object?.fields ?? []).map((f) => f.value), call: undefined };
    this.render();
  }

  render() {
    const page = this.current;
    const refreshUrl = Boolean(page.refresh?.url);
    const softKeys = page.call
      ? [{ name: keyLabel('EndCall', this.language), url: 'SoftKey:Exit', position: 1 }]
      : page.error
        ? [{ name: keyLabel('Exit', this.language), url: 'SoftKey:Exit', position: 3 }]
        : shownSoftKeys(page.object, this.model, refreshUrl, this.language);
    const screen = renderScreen(
      {
        model: this.model,
        object: page.object,
        error: page.error?.[0],
        call: page.call,
        title: page.title,
        selected: page.selected,
        values: page.values,
        images: page.images ?? {},
        softKeys,
        lineLabel: this.lineLabel,
        clock: this.clock(),
        maxWidth: this.maxWidth(),
      },
      {
        pick: (i) => this.pick(i),
        softKey: (key) => this.softKey(key),
        type: (i, v) => (page.values[i] = v),
        focus: (i) => (page.selected = i),
        submit: () => this.submit(),
      },
    );
    this.container.replaceChildren(screen);
    this.onChange({
      path: page.path,
      reply: page.reply,
      error: page.error,
      note: page.note,
      refresh: page.refresh,
      expired: page.expired,
      history: this.history.map((h) => h.path),
      object: page.object?.kind,
    });
  }

  /** The status bar's time and date, in the phone's time zone and language. */
  clock() {
    const locale = this.language === 'de' ? 'de-DE' : 'en-US';
    const now = new Date();
    const format = (options) => {
      try {
        return now.toLocaleString(locale, { ...options, timeZone: this.timeZone });
      } catch {
        return now.toLocaleString(locale, options); // a zone this browser does not know
      }
    };
    return `${format({ hour: 'numeric', minute: '2-digit' })} ${format({ day: 'numeric', month: 'numeric' })}`;
  }

  items() {
    const o = this.current.object;
    return o?.items ?? o?.entries ?? o?.fields ?? [];
  }

  /** A click on (or the number key of) an item: menus open it, directories and forms select it. */
  pick(i) {
    const o = this.current.object;
    if (!o || i < 0 || i >= this.items().length) return;
    this.current.selected = i;
    if (['Menu', 'IconMenu', 'IconFileMenu', 'GraphicMenu', 'GraphicFileMenu'].includes(o.kind)) {
      const item = o.items[i];
      // Cisco's QueryStringParam URI: picking a QueryStringParam item only moves the cursor.
      if (!item.url.startsWith('QueryStringParam:')) return this.run(item.url, item.name);
    }
    this.render();
  }

  move(delta) {
    const n = this.items().length;
    if (!n) return;
    this.current.selected = (this.current.selected + delta + n) % n;
    this.render();
  }

  /** A keypad key: digits open the numbered item of a menu or type into a form. */
  keypad(key) {
    const o = this.current.object;
    if (!o) return;
    if (o.kind === 'Input') {
      const i = this.current.selected;
      this.current.values[i] = (this.current.values[i] ?? '') + key;
      return this.render();
    }
    const n = key === '0' ? 10 : Number(key);
    if (Number.isInteger(n) && n >= 1) this.pick(n - 1);
  }

  softKey(key) {
    const o = this.current.object;
    const selected = this.items()[this.current.selected];
    // The two QueryStringParam patterns of Cisco's developer notes: item data appended to the
    // softkey's URL, or softkey data to the item's.
    if (/^https?:/.test(key.url) && selected?.url?.startsWith('QueryStringParam:')) {
      const data = selected.url.slice('QueryStringParam:'.length);
      return this.run(key.url + (key.url.includes('?') ? '&' : '?') + data);
    }
    if (key.url.startsWith('QueryStringParam:') && selected?.url && /^https?:/.test(selected.url)) {
      const data = key.url.slice('QueryStringParam:'.length);
      return this.run(selected.url + (selected.url.includes('?') ? '&' : '?') + data, selected.name);
    }
    if (o?.kind === 'Input' && /^https?:/.test(key.url)) this.readForm();
    return this.run(key.url, o?.kind === 'Menu' ? selected?.name : undefined);
  }

  readForm() {
    /** @type {NodeListOf<HTMLInputElement>} */ (this.container.querySelectorAll('form.input input')).forEach((input, i) => (this.current.values[i] = input.value));
  }

  submit() {
    const o = this.current.object;
    if (o?.kind !== 'Input') return;
    this.readForm();
    const url = submitUrl(o.url, o.fields.map((f, i) => ({ param: f.param, value: this.current.values[i] ?? '' })));
    return this.run(url, o.title);
  }

  back() {
    clearTimeout(this.timer);
    const previous = this.history.pop();
    if (!previous) return this.show({ path: undefined, object: HOME, note: 'Left the services (the phone is back on its main screen).' });
    return this.load(previous.path, { push: false, defaultTitle: previous.title });
  }

  /** Runs a URL or internal URI the way the phone would. */
  run(url, defaultTitle) {
    const scheme = /^([A-Za-z]+):/.exec(url)?.[1]?.toLowerCase();
    if (scheme === 'http' || scheme === 'https' || url.startsWith('/')) {
      const path = this.pathOf(url);
      if (!path) return this.note(`The phone would open ${url} (another server: not previewed).`);
      return this.load(path, { defaultTitle });
    }
    const arg = url.slice(url.indexOf(':') + 1);
    const selected = this.items()[this.current.selected];
    switch (scheme) {
      case 'softkey':
        switch (arg) {
          case 'Select':
            return selected ? this.pick(this.current.selected) : undefined;
          case 'Exit':
          case 'Back':
          case 'Cancel':
            if (this.current.call) {
              this.current.call = undefined;
              return this.render();
            }
            return this.back();
          case 'Update':
            return this.current.path ? this.load(this.current.path, { push: false }) : undefined;
          case 'Next': {
            const next = this.current.refresh?.url ? this.pathOf(this.current.refresh.url) : undefined;
            return next ? this.load(next, { push: false }) : undefined;
          }
          case 'Submit':
          case 'Search':
            return this.submit();
          case '<<': {
            const i = this.current.selected;
            this.readForm();
            this.current.values[i] = (this.current.values[i] ?? '').slice(0, -1);
            return this.render();
          }
          case 'Dial':
          case 'EditDial':
            return selected?.telephone !== undefined ? this.call(arg === 'Dial' ? 'Dialling' : 'Edit dial', selected.telephone) : undefined;
          default:
            return this.note(`SoftKey:${arg} does nothing here.`);
        }
      case 'dial':
        return this.call('Dialling', arg.split(':')[0]);
      case 'editdial':
        return this.call('Edit dial', arg);
      default:
        return this.note(`The phone would run ${url}.`);
    }
  }

  call(title, number) {
    this.current.call = { title, number, note: title === 'Dialling' ? 'The phone places the call on its line.' : 'The number can be edited before dialling.' };
    this.current.note = `${title} ${number}`;
    this.render();
  }

  note(text) {
    this.current.note = text;
    this.render();
  }
}
