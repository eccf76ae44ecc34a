/**
 * The agenda in the Services menu: today and the next 7 days as a menu of events with day
 * headers, a detail page per event (time, place, description) with a Dial key for dial-ins, and a
 * page per day. Everything is answered from the calendar store's memory.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { agendaDays, clockTime, dayLabel, dayLines, dayOf, eventText, splitText } from '../../src/calendar/agenda.js';
import { findDialIn } from '../../src/calendar/dial-in.js';
import { calendarText } from '../../src/calendar/messages.js';
import type { CalendarView } from '../../src/calendar/store.js';
import { perConfig } from '../../src/config/per-config.js';
import { createDialer } from '../../src/contacts/dialing.js';
import { phoneUrl, sendPhoneObject } from '../../src/http/phone-reply.js';
import { defineService } from '../../src/http/services.js';
import { softKeys, type KeySpec } from '../../src/http/soft-keys.js';
import { coreText } from '../../src/i18n/core-messages.js';
import { LIMITS } from '../../src/xml/limits.js';
import type { MenuItem } from '../../src/xml/objects.js';
import { paginate } from '../../src/xml/paging.js';

const PATH = '/agenda';
/** Room left below the 4000-character Text limit for transliteration on ISO-8859-1 phones. */
const TEXT_PAGE = LIMITS.text - 200;

/** Every agenda route shows what the phone of the request may see (`calendars`), or, naming none, what every phone may. */
function viewOf(request: FastifyRequest): CalendarView {
  return request.server.ctx.calendar.viewOf(request.phone.phone);
}

function pageParam(value: string | undefined): number {
  return Number(value) || 1;
}

/** The prompt line: offline notice when a source failed, else the page, else nothing. */
function prompt(request: FastifyRequest, page: number, pages: number): string | undefined {
  const { language, timeZone } = request.phone;
  const offline = request.server.ctx.calendar.offline();
  if (offline) {
    return offline.since ? calendarText(language, 'offline', { time: clockTime(Date.parse(offline.since), timeZone) }) : calendarText(language, 'offlineNoData');
  }
  return pages > 1 ? coreText(language, 'page', { page, pages }) : undefined;
}

/** Paging keys (phones with custom softkeys) or paging items (7940/7960, which ignore softkeys). */
function paged<T>(
  request: FastifyRequest,
  items: readonly T[],
  size: number,
  requested: number,
  url: (page: number) => string,
  asItems: boolean,
): { page: ReturnType<typeof paginate<T>>; keys: KeySpec[]; before: MenuItem[]; after: MenuItem[] } {
  const view = request.phone;
  const itemsToo = asItems && !view.caps.customSoftKeys;
  const page = paginate(items, itemsToo ? size - 2 : size, requested);
  const keys: KeySpec[] = [];
  const before: MenuItem[] = [];
  const after: MenuItem[] = [];
  if (page.hasNext) {
    keys.push({ role: 'next', url: url(page.page + 1) });
    if (itemsToo) after.push({ name: calendarText(view.language, 'nextPage'), url: url(page.page + 1) });
  }
  if (page.hasPrevious) {
    keys.push({ role: 'previous', url: url(page.page - 1) });
    if (itemsToo) before.push({ name: calendarText(view.language, 'previousPage'), url: url(page.page - 1) });
  }
  return { page, keys, before, after };
}

function sendMessage(request: FastifyRequest, reply: FastifyReply, title: string, text: string): FastifyReply {
  const keys = softKeys(request.phone, [{ role: 'exit' }]);
  const p = prompt(request, 1, 1);
  return sendPhoneObject(request, reply, { kind: 'Text', title, ...(p ? { prompt: p } : {}), text, softKeys: keys });
}

const plugin: FastifyPluginAsync = async (app) => {
  const dialerOf = perConfig(() => app.ctx.config, () => createDialer(app.ctx.config.directory.dialing));

  app.get<{ Querystring: { page?: string } }>(PATH, async (request, reply) => {
    const { language, timeZone } = request.phone;
    const store = app.ctx.calendar;
    const days = agendaDays(app.ctx.clock().getTime(), timeZone);
    const events = store.between(viewOf(request), days[0]!.start, days[days.length - 1]!.end);
    const items: MenuItem[] = [];
    for (const day of days) {
      const lines = dayLines(events, day, timeZone, language);
      if (lines.length === 0) continue;
      items.push({ name: dayLabel(day, timeZone, language), url: phoneUrl(request, `${PATH}/day`, { d: day.key }) });
      for (const line of lines) items.push({ name: line.text, url: phoneUrl(request, `${PATH}/event`, { id: line.event.id }) });
    }
    const title = calendarText(language, 'agenda');
    if (items.length === 0) return sendMessage(request, reply, title, calendarText(language, 'nothing'));
    const { page, keys, before, after } = paged(request, items, LIMITS.menuItems, pageParam(request.query.page), (n) => phoneUrl(request, PATH, { page: n }), true);
    const p = prompt(request, page.page, page.pages);
    return sendPhoneObject(request, reply, {
      kind: 'Menu',
      title,
      ...(p ? { prompt: p } : {}),
      items: [...before, ...page.items, ...after],
      softKeys: softKeys(request.phone, [{ role: 'select' }, { role: 'exit' }, ...keys]),
    });
  });

  app.get<{ Querystring: { d?: string } }>(`${PATH}/day`, async (request, reply) => {
    const { language, timeZone } = request.phone;
    const day = dayOf(request.query.d ?? '', timeZone);
    if (!day) return sendMessage(request, reply, calendarText(language, 'agenda'), calendarText(language, 'nothingThatDay'));
    const today = agendaDays(app.ctx.clock().getTime(), timeZone, 1)[0]!;
    const labelled = { ...day, offset: Math.round((day.start - today.start) / 86_400_000) };
    const lines = dayLines(app.ctx.calendar.between(viewOf(request), day.start, day.end), day, timeZone, language);
    const text = lines.length
      ? lines.map((l) => (l.event.location ? `${l.text}\n  ${l.event.location}` : l.text)).join('\n')
      : calendarText(language, 'nothingThatDay');
    return sendMessage(request, reply, dayLabel(labelled, timeZone, language), splitText(text, TEXT_PAGE)[0]!);
  });

  app.get<{ Querystring: { id?: string; page?: string } }>(`${PATH}/event`, async (request, reply) => {
    const { language, timeZone, caps } = request.phone;
    const event = app.ctx.calendar.find(viewOf(request), String(request.query.id ?? ''));
    if (!event) return sendMessage(request, reply, calendarText(language, 'agenda'), calendarText(language, 'gone'));
    const title = event.title || calendarText(language, 'noTitle');
    const dialIn = findDialIn([event.location, event.description, event.title], dialerOf());
    // Phones without custom softkeys (7940/7960 SIP) get no Dial key: a small menu offers the
    // dial-in as an item (a Dial: URI works in any MenuItem) next to the details.
    if (dialIn && !caps.customSoftKeys && request.query.page === undefined) {
      return sendPhoneObject(request, reply, {
        kind: 'Menu',
        title,
        items: [
          { name: calendarText(language, 'details'), url: phoneUrl(request, `${PATH}/event`, { id: event.id, page: 1 }) },
          { name: calendarText(language, 'dialIn', { number: dialIn.number }), url: `Dial:${dialIn.dial}` },
        ],
      });
    }
    const pages = splitText(eventText(event, timeZone, language, dialIn?.number), TEXT_PAGE);
    const { page, keys } = paged(request, pages, 1, pageParam(request.query.page), (n) =>
      phoneUrl(request, `${PATH}/event`, { id: event.id, page: n }),
      false,
    );
    const dial: KeySpec[] = dialIn ? [{ role: 'dial', url: `Dial:${dialIn.dial}` }] : [];
    const p = prompt(request, page.page, page.pages);
    const next = page.hasNext ? phoneUrl(request, `${PATH}/event`, { id: event.id, page: page.page + 1 }) : undefined;
    return sendPhoneObject(
      request,
      reply,
      {
        kind: 'Text',
        title,
        ...(p ? { prompt: p } : {}),
        text: page.items[0] ?? '',
        softKeys: softKeys(request.phone, [...dial, { role: 'exit' }, ...keys]),
      },
      // As in the directory: without custom softkeys a Refresh URL makes the phone offer Next itself.
      !caps.customSoftKeys && next ? { refresh: { seconds: 0, url: next } } : {},
    );
  });
};

export default defineService({
  id: 'agenda',
  title: { en: 'Agenda', de: 'Termine' },
  path: PATH,
  order: 20,
  plugin,
});
