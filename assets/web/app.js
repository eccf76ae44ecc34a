/** The owner's page: phones and live transfers, the screen preview, health and actions. */
import { PhoneEmulator } from './emulator.js';

/** @type {(selector: string, root?: ParentNode) => any} */
const $ = (selector, root = document) => root.querySelector(selector);
const state = { phones: [], models: [], publicUrl: '', timeZone: undefined };

async function api(path, options = {}) {
  const res = await fetch(path, { headers: options.body ? { 'Content-Type': 'application/json' } : {}, ...options });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.error ?? `HTTP ${res.status}`);
  return data;
}

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  node.append(...children.flat().filter((c) => c !== undefined && c !== null));
  return node;
}

function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const seconds = Math.round((Date.now() - d.getTime()) / 1000);
  const ago = seconds < 60 ? 'just now' : seconds < 3600 ? `${Math.round(seconds / 60)} min ago` : seconds < 86400 ? `${Math.round(seconds / 3600)} h ago` : d.toLocaleDateString();
  return ago;
}

function fetchCell(fetch) {
  if (!fetch) return h('td', { class: 'muted' }, '—');
  return h('td', { title: `${fetch.path} (${fetch.status}) at ${new Date(fetch.at).toLocaleString()}` }, h('span', { class: `dot ${fetch.status}` }), ` ${when(fetch.at)}`, h('div', { class: 'sub' }, fetch.path));
}

/** Which address gets the phone's config file (it carries its passwords), and the button that frees a lock. */
function configForCell(p) {
  if (!p.known) return h('td', { class: 'muted' }, '—');
  if (!p.configFor) return h('td', { class: 'muted', title: 'The first address that fetches its config file takes it' }, 'first to fetch');
  if (p.configFor.fixed) return h('td', { title: 'Set by ip: in the config' }, p.configFor.address, h('div', { class: 'sub' }, 'ip: in the config'));
  return h(
    'td',
    { title: `Locked since ${new Date(p.configFor.since).toLocaleString()}` },
    p.configFor.address,
    ' ',
    h('button', { type: 'button', class: 'small', 'data-release': p.name, title: 'The phone moved: let its next config fetch take the lock' }, 'Release'),
  );
}

function bytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

// ---------------------------------------------------------------- phones

async function loadPhones() {
  const data = await api('/api/ui/phones');
  Object.assign(state, data);
  const body = $('#phone-table tbody');
  body.replaceChildren(
    ...data.phones.map((p) =>
      h(
        'tr',
        { 'data-phone': p.name },
        h('td', {}, h('strong', {}, p.label ?? p.name), p.label ? h('div', { class: 'sub' }, p.name) : undefined, p.known ? undefined : h('span', { class: 'badge' }, 'not in config')),
        h('td', {}, p.model ? `${p.model}` : '?', p.lines.length ? h('div', { class: 'sub' }, `line ${p.lines.join(', ')}`) : undefined),
        h('td', {}, p.ip ?? h('span', { class: 'muted' }, '—')),
        configForCell(p),
        fetchCell(p.lastTftp),
        fetchCell(p.lastHttp),
        h('td', {}, p.firmware ?? p.loadInformation ?? h('span', { class: 'muted' }, '—')),
        h('td', {}, p.known && p.model ? h('button', { type: 'button', class: 'small', 'data-preview': p.name }, 'Preview') : undefined, phoneEditButtons(p)),
      ),
    ),
  );
  fillTargets();
}

// ---------------------------------------------------------------- adding, editing and removing phones (written into the config file)

function phoneEditButtons(p) {
  if (!p.known) return h('button', { type: 'button', class: 'small', 'data-add': p.name }, 'Add');
  return [
    h('button', { type: 'button', class: 'small', 'data-edit': p.name }, 'Edit'),
    h('button', { type: 'button', class: 'small', 'data-remove': p.name }, 'Remove'),
  ];
}

/** The phone being edited (undefined: a new one). */
let editing;

function openPhoneForm(p) {
  editing = p?.known ? p : undefined;
  const form = $('#phone-form');
  const line = p?.lineFields?.[0] ?? {};
  const guess = p?.modelGuess ?? [];
  const models = [...guess, ...state.models.map((m) => m.id).filter((id) => !guess.includes(id))];
  form.elements.model.replaceChildren(...models.map((id) => h('option', { value: id }, guess.includes(id) ? `${id} (asked for its firmware)` : id)));
  form.elements.mac.value = p ? p.name.replace(/^SEP/, '') : '';
  form.elements.mac.readOnly = Boolean(editing);
  form.elements.model.value = p?.model ?? guess[0] ?? '7941';
  form.elements.label.value = p?.label ?? '';
  form.elements.number.value = line.number ?? '';
  form.elements.authName.value = line.authName ?? '';
  form.elements.displayName.value = line.displayName ?? '';
  form.elements.password.value = '';
  form.elements.password.placeholder = editing ? 'unchanged' : '';
  $('#phone-dialog-h').textContent = editing ? `Edit ${editing.label ?? editing.name}` : 'Add a phone';
  $('#phone-problems').hidden = true;
  $('#phone-dialog').showModal();
}

async function savePhone() {
  const f = $('#phone-form').elements;
  const first = { number: f.number.value.trim(), authName: f.authName.value.trim(), displayName: f.displayName.value.trim() };
  if (f.password.value) first.password = f.password.value;
  const lines = [first, ...(editing?.lineFields ?? []).slice(1)];
  const body = { model: f.model.value, label: f.label.value.trim(), lines };
  const res = editing
    ? await fetch(`/api/ui/phones/${encodeURIComponent(editing.mac)}`, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    : await fetch('/api/ui/phones', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ mac: f.mac.value.trim(), ...body, lines: lines.map(withoutEmpty) }) });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const problems = data.problems ?? [{ path: '', message: data.error ?? `HTTP ${res.status}` }];
    $('#phone-problems').replaceChildren(...problems.map((p) => h('li', {}, p.path ? h('code', {}, p.path) : undefined, ` ${p.message}`)));
    $('#phone-problems').hidden = false;
    return;
  }
  $('#phone-dialog').close();
  showResult(editing ? `Saved ${data.label ?? data.mac}.` : `Added ${data.label ?? data.mac}.`);
  await loadPhones();
}

function withoutEmpty(line) {
  return Object.fromEntries(Object.entries(line).filter(([, v]) => v !== ''));
}

$('#phone-new').addEventListener('click', () => openPhoneForm(undefined));
$('#phone-cancel').addEventListener('click', () => $('#phone-dialog').close());
$('#phone-form').addEventListener('submit', (e) => {
  e.preventDefault();
  savePhone().catch(showError);
});

let reloadTimer;
function reloadPhonesSoon() {
  clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => loadPhones().catch(() => {}), 300);
}

// ---------------------------------------------------------------- live transfers (server-sent events)

const transfers = new Map();

function transferRow(t) {
  let row = transfers.get(t.id);
  if (!row) {
    const bar = h('progress', { max: Math.max(1, t.size), value: t.bytes ?? 0 });
    const label = h('span', { class: 'sub' });
    row = { li: h('li', { 'data-transfer': t.id, 'data-file': t.file }, h('div', { class: 'tline' }, h('strong', {}, t.file), h('span', { class: 'muted' }, ` → ${t.ip}`)), bar, label), bar, label, t };
    transfers.set(t.id, row);
    $('#transfers').append(row.li);
  }
  return row;
}

function showTransfer(row) {
  const { t } = row;
  row.bar.max = Math.max(1, t.size);
  row.bar.value = t.bytes;
  const pct = t.size ? Math.floor((t.bytes * 100) / t.size) : 100;
  row.label.textContent = t.done ? (t.ok ? `done, ${bytes(t.bytes)} in ${(t.ms / 1000).toFixed(1)} s` : `failed: ${t.error ?? 'stopped'}`) : `${pct} % of ${bytes(t.size)}`;
  row.li.className = t.done ? (t.ok ? 'done' : 'failed') : 'running';
  $('#no-transfers').hidden = transfers.size > 0;
}

function connectEvents() {
  const live = $('#live');
  const source = new EventSource('/api/ui/events');
  source.onopen = () => ((live.textContent = 'live'), live.classList.add('on'));
  source.onerror = () => ((live.textContent = 'reconnecting…'), live.classList.remove('on'));
  source.addEventListener('hello', (e) => {
    for (const t of JSON.parse(e.data).transfers) showTransfer(Object.assign(transferRow(t), {}));
  });
  source.addEventListener('transfer-start', (e) => {
    const t = JSON.parse(e.data);
    showTransfer(transferRow({ ...t, bytes: 0 }));
  });
  source.addEventListener('transfer-progress', (e) => {
    const p = JSON.parse(e.data);
    const row = transfers.get(p.id);
    if (!row) return;
    Object.assign(row.t, { bytes: p.bytes, size: p.size });
    showTransfer(row);
  });
  source.addEventListener('transfer-end', (e) => {
    const p = JSON.parse(e.data);
    const row = transfers.get(p.id);
    if (!row) return;
    Object.assign(row.t, { done: true, ok: p.ok, ms: p.ms, error: p.error, bytes: p.ok ? row.t.size : p.bytes });
    showTransfer(row);
    setTimeout(() => {
      row.li.remove();
      transfers.delete(p.id);
      $('#no-transfers').hidden = transfers.size > 0;
    }, 30_000);
  });
  source.addEventListener('fetch', reloadPhonesSoon);
}

// ---------------------------------------------------------------- screen preview

const emulator = new PhoneEmulator({
  container: $('#device'),
  fetchPreview: (path, model) => api(`/api/ui/preview?path=${encodeURIComponent(path)}&model=${encodeURIComponent(model)}`),
  onChange: showPreviewInfo,
  maxWidth: previewWidth,
});

/** Page pixels the phone screen may take: the preview's width (beside the controls when there is room) less the bezel. */
function previewWidth() {
  const grid = getComputedStyle($('.preview-grid'));
  const besideControls = grid.gridTemplateColumns.split(' ').length > 1;
  const bezel = 2 * parseFloat(getComputedStyle($('#device')).paddingLeft);
  // 260 px: the controls' least width (style.css, .preview-grid).
  return $('.preview-grid').clientWidth - bezel - (besideControls ? 260 + parseFloat(grid.columnGap) : 0);
}
let resizeTimer;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => emulator.current && emulator.render(), 100);
});

function showPreviewInfo(info) {
  const rows = [];
  const add = (term, value, cls) => value && rows.push(h('dt', {}, term), h('dd', { class: cls }, value));
  add('Path', info.path);
  if (info.reply && !info.reply.failed) {
    add('HTTP', `${info.reply.status} ${info.reply.headers.contentType}`);
    add('Refresh', info.reply.headers.refresh);
    add('Expires', info.reply.headers.expires ? `${info.reply.headers.expires}${info.expired ? ' (kept out of history)' : ''}` : undefined);
  }
  add('Object', info.object ? `CiscoIPPhone${info.object}` : undefined);
  if (info.error) add('Phone shows', `${info.error[0]}: ${info.error[1]}`, 'error');
  add('Note', info.note);
  add('Back', info.history.length ? info.history.join(' ← ') : undefined);
  $('#preview-info').replaceChildren(...rows);
  $('#raw').textContent = info.reply && !info.reply.failed ? (info.reply.encoding === 'base64' ? `(${info.reply.headers.contentType}, ${Math.round((info.reply.body.length * 3) / 4)} bytes)` : info.reply.body) : '';
  if (info.path) $('#path-input').value = info.path;
}

function fillTargets() {
  const select = $('#target');
  const previous = select.value;
  const phones = state.phones.filter((p) => p.known && p.model);
  select.replaceChildren(
    h('optgroup', { label: 'Phones' }, phones.map((p) => h('option', { value: `phone:${p.name}` }, `${p.label ?? p.name} (${p.model})`))),
    h('optgroup', { label: 'Models' }, state.models.map((m) => h('option', { value: `model:${m.id}` }, `${m.modelName} — ${m.display.width}×${m.display.height} ${m.display.color ? 'colour' : 'grey'}`))),
  );
  if (previous) select.value = previous;
  for (const s of /** @type {NodeListOf<HTMLSelectElement>} */ (document.querySelectorAll('.phone-select'))) {
    const was = s.value;
    const all = s.dataset.all !== undefined ? [h('option', { value: 'all' }, 'All phones')] : [];
    s.replaceChildren(...all, ...phones.map((p) => h('option', { value: p.name }, `${p.label ?? p.name} (${p.model})`)));
    if (was) s.value = was;
  }
  if (!previous) chooseTarget();
}

function chooseTarget() {
  const [kind, id] = $('#target').value.split(':');
  const phone = kind === 'phone' ? state.phones.find((p) => p.name === id) : undefined;
  const model = state.models.find((m) => m.id === (phone ? phone.model : id));
  if (!model) return;
  emulator.setTarget({ model, name: phone?.name, lineLabel: phone?.lines[0] ?? model.modelName, publicUrl: state.publicUrl, language: phone?.language, timeZone: phone?.timeZone ?? state.timeZone });
  // What the Services button shows: a picked phone is never left on an empty screen.
  emulator.open('/services');
}

$('#target').addEventListener('change', chooseTarget);
for (const button of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-open]'))) button.addEventListener('click', () => emulator.open(button.dataset.open));
$('#open-path').addEventListener('submit', (e) => {
  e.preventDefault();
  const value = $('#path-input').value.trim();
  if (!value) return;
  if (/[?&](name|model)=/.test(value)) {
    emulator.history = [];
    emulator.current = undefined;
    emulator.load(value.startsWith('/') ? value : `/${value}`, { push: false });
  } else emulator.open(value.startsWith('/') ? value : `/${value}`);
});
for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-key]'))) b.addEventListener('click', () => emulator.keypad(b.dataset.key));
for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('[data-nav]'))) b.addEventListener('click', () => emulator.move(Number(b.dataset.nav)));
$('#device').addEventListener('keydown', (e) => {
  if (e.target.tagName === 'INPUT') return;
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') (e.preventDefault(), emulator.move(e.key === 'ArrowDown' ? 1 : -1));
  else if (e.key === 'Enter') emulator.run('SoftKey:Select');
  else if (e.key === 'Escape' || e.key === 'Backspace') emulator.back();
  else if (/^[0-9*#]$/.test(e.key)) emulator.keypad(e.key);
});
$('#phone-table').addEventListener('click', (e) => {
  const phone = (attr) => state.phones.find((p) => p.name === e.target.closest(`[data-${attr}]`)?.dataset[attr]);
  const add = phone('add') ?? phone('edit');
  if (add) return openPhoneForm(add);
  const removed = phone('remove');
  if (removed) {
    if (confirm(`Remove ${removed.label ?? removed.name} from the config file?`)) {
      api(`/api/ui/phones/${encodeURIComponent(removed.mac)}`, { method: 'DELETE' }).then(() => loadPhones()).catch(showError);
    }
    return;
  }
  const release = e.target.closest('[data-release]')?.dataset.release;
  if (release) {
    api(`/api/ui/phones/${encodeURIComponent(release)}/lock`, { method: 'DELETE' }).then(loadPhones).catch(showError);
    return;
  }
  const name = e.target.closest('[data-preview]')?.dataset.preview;
  if (!name) return;
  $('#target').value = `phone:${name}`;
  chooseTarget();
  $('#preview').scrollIntoView({ behavior: 'smooth' });
});

// ---------------------------------------------------------------- health

function kv(pairs) {
  return h('dl', { class: 'kv' }, pairs.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]));
}

function sourceList(kind, sources) {
  if (!sources.length) return [h('p', { class: 'muted' }, `No ${kind} source configured.`)];
  return sources.map((s) =>
    h(
      'div',
      { class: 'source' },
      h('span', { class: `dot ${['ok', 'warning', 'error'].includes(s.state) ? s.state : 'pending'}` }),
      h('strong', {}, ` ${s.name}`),
      h('span', { class: 'muted' }, ` ${kind} · ${s.type}`),
      h('div', { class: 'sub' }, `${s.count} ${kind === 'directory' ? 'contacts' : 'events'}${s.lastSync ? ` · synced ${when(s.lastSync)}` : ''}`),
      s.lastError ? h('div', { class: 'error' }, s.lastError) : undefined,
      s.unread ? h('div', { class: 'unread' }, `${s.unread} ${kind === 'directory' ? 'card(s)' : 'event(s)'} not fully read:`) : undefined,
      s.warnings ? h('ul', { class: 'warnings' }, s.warnings.map((w) => h('li', {}, w))) : undefined,
    ),
  );
}

async function loadHealth() {
  const data = await api('/api/ui/health');
  const problems = data.config.problems;
  $('#health-config .content').replaceChildren(
    h('p', { class: 'sub' }, data.config.file ?? 'built-in demo configuration'),
    problems.length
      ? h('ul', { class: 'problems' }, problems.map((p) => h('li', {}, h('code', {}, p.path || '(file)'), ` ${p.message}`)))
      : h('p', { class: 'ok' }, '✓ No problems found.'),
  );
  $('#health-sources .content').replaceChildren(...sourceList('directory', data.directory), ...sourceList('calendar', data.calendar));
  $('#health-tftp .content').replaceChildren(
    data.tftp
      ? kv([['Requests', data.tftp.requests], ['Served', data.tftp.served], ['Not found', data.tftp.notFound], ['Refused', data.tftp.denied], ['Errors', data.tftp.errors], ['Sent', bytes(data.tftp.bytesSent)], ['Running', data.tftp.active]])
      : h('p', { class: 'muted' }, 'TFTP is off.'),
  );
  const c = data.http.byClass;
  $('#health-http .content').replaceChildren(kv([['Requests', data.http.requests], ['2xx', c['2xx']], ['3xx', c['3xx']], ['4xx', c['4xx']], ['5xx', c['5xx']], ['Since', new Date(data.http.since).toLocaleString()]]));
  const i = data.idle;
  $('#health-idle .content').replaceChildren(kv([['Requests', i.requests], ['Cache hits', `${Math.round(i.hitRate * 100)} %`], ['Renders', i.renders], ['Average render', `${i.averageRenderMs} ms`], ['Cached pictures', i.cached]]));
}
$('#health-refresh').addEventListener('click', () => loadHealth().catch(showError));

// ---------------------------------------------------------------- actions

function showResult(text, ok = true) {
  const el = $('#action-result');
  el.textContent = text;
  el.className = ok ? 'result ok' : 'result error';
}
const showError = (err) => showResult(err.message, false);

async function push(form, body) {
  const button = $('button[type=submit]', form);
  button.disabled = true;
  showResult('Sending…');
  try {
    const { results } = await api('/api/ui/push', { method: 'POST', body: JSON.stringify(body) });
    showResult(results.map((r) => `${r.label ?? r.target}: ${r.message}`).join('; '), results.every((r) => r.ok));
  } catch (err) {
    showError(err);
  } finally {
    button.disabled = false;
  }
}

$('#push-text').addEventListener('submit', (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  push(e.target, { phone: f.get('phone'), text: f.get('text'), ...(f.get('title') ? { title: f.get('title') } : {}) });
});
$('#push-play').addEventListener('submit', (e) => {
  e.preventDefault();
  const f = new FormData(e.target);
  push(e.target, { phone: f.get('phone'), play: f.get('play') });
});
$('#show-config').addEventListener('submit', async (e) => {
  e.preventDefault();
  const pre = $('#config-file');
  try {
    const data = await api(`/api/ui/config-file?phone=${encodeURIComponent(String(new FormData(e.target).get('phone') ?? ''))}`);
    pre.textContent = `<!-- ${data.file} -->\n${data.text}`;
    pre.hidden = false;
  } catch (err) {
    showError(err);
  }
});

/** The announcement playing now (its id), which the Stop button ends. */
let announcement = '';

$('#announce-kind').addEventListener('change', (e) => {
  const say = /** @type {HTMLSelectElement} */ (e.target).value === 'say';
  $('#announce-ringtone-label').hidden = say;
  $('#announce-say-label').hidden = !say;
});
$('#announce').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = /** @type {HTMLFormElement} */ (e.target);
  const f = new FormData(form);
  const volume = String(f.get('volume') ?? '');
  const sound = f.get('kind') === 'say' ? { say: f.get('say') } : { ringtone: f.get('ringtone') };
  const button = $('button[type=submit]', form);
  button.disabled = true;
  showResult('Announcing…');
  try {
    const data = await api('/api/ui/announce', { method: 'POST', body: JSON.stringify({ phone: f.get('phone'), ...sound, ...(volume ? { volume: Number(volume) } : {}) }) });
    const lines = data.results.map((r) => `${r.label ?? r.target}: ${r.message}`).join('; ');
    showResult(`${lines} (${(data.durationMs / 1000).toFixed(1)} s${data.cut ? ', cut' : ''})`, data.ok);
    announcement = data.id;
    $('#announce-stop').disabled = false;
    setTimeout(() => {
      if (announcement === data.id) $('#announce-stop').disabled = true;
    }, data.durationMs);
  } catch (err) {
    showError(err);
  } finally {
    button.disabled = false;
  }
});
$('#announce-stop').addEventListener('click', async () => {
  try {
    await api(`/api/ui/announce/${announcement}`, { method: 'DELETE' });
    showResult('Announcement stopped.');
  } catch (err) {
    showError(err);
  }
  $('#announce-stop').disabled = true;
});

async function loadRingtones() {
  const { ringtones } = await api('/api/ui/ringtones');
  for (const select of [$('#ringtones'), $('#announce-ringtone')]) {
    select.replaceChildren(...ringtones.map((r) => h('option', { value: r.fileName }, r.displayName)));
  }
}

// ---------------------------------------------------------------- start

await loadPhones().catch(showError);
connectEvents();
loadHealth().catch(showError);
loadRingtones().catch(() => {});
setInterval(() => loadPhones().catch(() => {}), 60_000);
