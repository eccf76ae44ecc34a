/**
 * Draws one phone screen as DOM at the model's own pixel size (services area W×H from the model
 * table), scaled up for the page: status bar, title, the object's body, prompt line and softkey
 * labels, in the panel's colours (grey LCD for 7940/7960, 16 greys for 7941/7961/7942/7962,
 * colour for 7945/7965/797x).
 */
import { cipToRgba, decodeCip } from './cip.js';

const PALETTES = {
  mono: [[196, 205, 186], [140, 152, 132], [82, 92, 76], [24, 30, 22]],
  grey: [[226, 230, 233], [160, 166, 172], [90, 96, 102], [16, 18, 20]],
  colour: [[255, 255, 255], [170, 170, 170], [85, 85, 85], [0, 0, 0]],
};

/** 'mono' (2-bit 7940/7960), 'grey' (4-bit 79x1) or 'colour'. */
export function themeOf(model) {
  if (model.display.color) return 'colour';
  return model.display.depth <= 2 ? 'mono' : 'grey';
}

/** Page pixels per phone pixel: small panels get more; never wider than `maxWidth` page pixels. */
export function scaleOf(model, maxWidth = Infinity) {
  const wanted = model.display.width <= 160 ? 4 : 2;
  return Math.max(0.5, Math.min(wanted, maxWidth / model.display.width));
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'style') Object.assign(node.style, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== undefined && child !== null) node.append(child);
  return node;
}

/** A canvas with a CIP bitmap drawn in the theme's greys. */
export function cipCanvas(image, theme) {
  const canvas = el('canvas', { width: image.width, height: image.height, class: 'cip' });
  const pixels = decodeCip(image.data, image.width, image.height, image.depth);
  const data = new ImageData(cipToRgba(pixels, PALETTES[theme], image.depth), image.width, image.height);
  canvas.getContext('2d').putImageData(data, 0, 0);
  return canvas;
}

/** Position in a pane: -1 centres (Cisco developer notes, LocationX/LocationY). */
const place = (at, size, pane) => (at === -1 ? Math.max(0, Math.floor((pane - size) / 2)) : at);

function lines(name) {
  // A MenuItem name may hold up to two carriage returns: up to three display lines.
  return String(name).split(/\r\n|\r|\n/).slice(0, 3).join('\n');
}

function list(items, selected, onPick, render) {
  return el(
    'ol',
    { class: 'items', role: 'listbox' },
    items.map((item, i) =>
      el('li', { class: i === selected ? 'item selected' : 'item', role: 'option', 'aria-selected': i === selected ? 'true' : 'false', 'data-index': i, onclick: () => onPick(i) }, render(item, i)),
    ),
  );
}

function body(state, handlers) {
  const { object, model, theme } = state;
  const pane = model.cipPane;
  switch (object.kind) {
    case 'Menu':
    case 'IconMenu':
    case 'IconFileMenu':
      return list(object.items, state.selected, handlers.pick, (item, i) => {
        const icon = object.icons?.find((ic) => ic.index === item.iconIndex);
        const iconNode = icon?.data ? cipCanvas({ ...icon }, theme) : icon?.url && state.images[icon.url] ? el('img', { src: state.images[icon.url], class: 'icon', alt: '' }) : undefined;
        return [el('span', { class: 'num' }, String(i + 1)), iconNode, el('span', { class: 'name' }, lines(item.name))];
      });
    case 'Directory':
      return list(object.entries, state.selected, handlers.pick, (entry, i) => [
        el('span', { class: 'num' }, String(i + 1)),
        el('span', { class: 'name' }, entry.name),
        el('span', { class: 'tel' }, entry.telephone),
      ]);
    case 'Text':
      return el('div', { class: 'text' }, object.text);
    case 'Input':
      return el(
        'form',
        { class: 'input', onsubmit: (e) => (e.preventDefault(), handlers.submit()) },
        object.fields.map((field, i) =>
          el(
            'label',
            { class: i === state.selected ? 'field selected' : 'field' },
            el('span', {}, field.label),
            el('input', {
              name: field.param,
              value: state.values[i] ?? '',
              type: field.flags.includes('P') ? 'password' : 'text',
              inputmode: /[NT]/.test(field.flags[0]) ? 'tel' : undefined,
              autocomplete: 'off',
              spellcheck: 'false',
              oninput: (e) => handlers.type(i, e.target.value),
              onfocus: () => handlers.focus(i),
            }),
          ),
        ),
        el('button', { type: 'submit', hidden: true }, 'Submit'),
      );
    case 'Image':
    case 'GraphicMenu': {
      // A CIP image draws in the 133×65 pane; wider panels show that pane doubled [inf].
      const zoom = Math.max(1, Math.floor(model.display.width / pane.width));
      const canvas = cipCanvas(object.image, theme);
      canvas.style.left = `${place(object.image.x, object.image.width, pane.width) * zoom}px`;
      canvas.style.top = `${place(object.image.y, object.image.height, pane.height) * zoom}px`;
      canvas.style.width = `${object.image.width * zoom}px`;
      canvas.style.height = `${object.image.height * zoom}px`;
      return el('div', { class: 'pane', style: { width: `${pane.width * zoom}px`, height: `${pane.height * zoom}px` } }, canvas);
    }
    case 'ImageFile':
    case 'GraphicFileMenu': {
      const src = state.images[object.url];
      const img = src ? el('img', { src, alt: '', class: 'png', onload: (e) => positionPng(e.target, object, model) }) : el('div', { class: 'loading' }, '…');
      const areas = (object.items ?? []).filter((it) => it.touch).map((it, i) => {
        const [x1, y1, x2, y2] = it.touch;
        return el('button', { class: 'touch', title: it.name, style: { left: `${x1}px`, top: `${y1}px`, width: `${x2 - x1}px`, height: `${y2 - y1}px` }, onclick: () => handlers.pick(i) });
      });
      return el('div', { class: 'pane full' }, img, areas);
    }
    case 'Status':
    case 'StatusFile': {
      const image = object.image ? cipCanvas(object.image, theme) : object.url && state.images[object.url] ? el('img', { src: state.images[object.url], alt: '' }) : undefined;
      const timer = object.timer !== undefined ? `${String(Math.floor(object.timer / 60)).padStart(2, '0')}:${String(object.timer % 60).padStart(2, '0')}` : undefined;
      return el('div', { class: 'callplane' }, el('div', { class: 'lineinfo' }, state.lineLabel), el('div', { class: 'status-window' }, image, el('div', { class: 'status-text' }, object.text ?? '', timer ? el('span', { class: 'timer' }, timer) : undefined)));
    }
    case 'Execute':
      return el('div', { class: 'text' }, 'CiscoIPPhoneExecute:\n' + object.items.map((i) => `• ${i.url}${i.priority ? ` (priority ${i.priority})` : ''}`).join('\n'));
    case 'Response':
      return el('div', { class: 'text' }, object.items.map((i) => `${i.status} ${i.data} ${i.url}`).join('\n'));
    case 'Error':
      return el('div', { class: 'text' }, `CiscoIPPhoneError ${object.number}\n${object.message}`);
    default:
      return el('div');
  }
}

function positionPng(img, object, model) {
  img.style.left = `${place(object.x, img.naturalWidth, model.display.width)}px`;
  img.style.top = `${place(object.y, img.naturalHeight, model.display.height)}px`;
}

/**
 * The whole screen for `state` = { model, object?, error?, call?, title, selected, values, images,
 * softKeys, lineLabel, clock, maxWidth? }. `handlers` = { pick(i), softKey(key), type(i, v), focus(i), submit() }.
 */
export function renderScreen(state, handlers) {
  const { model } = state;
  const theme = themeOf(model);
  const scale = scaleOf(model, state.maxWidth);
  const { width, height } = model.display;
  const small = width <= 160;
  const fullPane = state.object && ['Image', 'ImageFile', 'GraphicMenu', 'GraphicFileMenu'].includes(state.object.kind);
  const status = state.object && (state.object.kind === 'Status' || state.object.kind === 'StatusFile');

  let services;
  if (state.call) {
    services = el('div', { class: 'services call' }, el('div', { class: 'title' }, state.call.title), el('div', { class: 'dialling' }, el('div', { class: 'big' }, state.call.number), el('div', {}, state.call.note)));
  } else if (state.error) {
    services = el('div', { class: 'services' }, el('div', { class: 'title' }, state.title ?? ''), el('div', { class: 'body' }), el('div', { class: 'prompt error', role: 'alert' }, state.error));
  } else {
    const inner = body({ ...state, theme }, handlers);
    services = el(
      'div',
      { class: `services kind-${state.object.kind}` },
      fullPane || status ? undefined : el('div', { class: 'title' }, state.object.title ?? state.title ?? ''),
      el('div', { class: fullPane ? 'body full' : 'body' }, inner),
      fullPane || status ? undefined : el('div', { class: 'prompt' }, state.object.prompt ?? ''),
    );
  }
  services.style.width = `${width}px`;
  services.style.height = `${height}px`;

  const slots = Math.max(model.id.startsWith('797') ? 5 : 4, ...state.softKeys.map((k) => k.position));
  const keys = el(
    'div',
    { class: 'softkeys', style: { gridTemplateColumns: `repeat(${Math.min(slots, 5)}, 1fr)` } },
    Array.from({ length: slots }, (_, i) => {
      const key = state.softKeys.find((k) => k.position === i + 1);
      return el('button', { class: 'softkey', type: 'button', disabled: !key, 'data-position': i + 1, onclick: () => key && handlers.softKey(key) }, key ? key.name : '');
    }),
  );
  const bar = el('div', { class: 'statusbar' }, el('span', {}, state.clock), el('span', {}, state.lineLabel));

  const inner = el('div', { class: `lcd-inner${small ? ' small' : ''}`, style: { width: `${width}px`, transform: `scale(${scale})` } }, bar, services, keys);
  const lcd = el('div', { class: 'lcd', 'data-theme': theme, 'data-model': model.id, style: { width: `${width * scale}px` } }, inner);
  // The scaled box's height is known only once laid out.
  requestAnimationFrame(() => {
    lcd.style.height = `${inner.offsetHeight * scale}px`;
    keepInView(lcd.querySelector('.items'), lcd.querySelector('.item.selected'));
  });
  return lcd;
}

/** Scrolls the list (and nothing else: not the page) so the selected line shows, as the phone does. */
function keepInView(list, item) {
  if (!list || !item) return;
  if (item.offsetTop < list.scrollTop) list.scrollTop = item.offsetTop;
  else if (item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight) list.scrollTop = item.offsetTop + item.offsetHeight - list.clientHeight;
}
