import type { FastifyPluginAsync } from 'fastify';
import { perConfig } from '../config/per-config.js';
import { coreText } from '../i18n/core-messages.js';
import { LIMITS } from '../xml/limits.js';
import type { MenuItem } from '../xml/objects.js';
import { paginate } from '../xml/paging.js';
import { phoneUrl, renderForPhone, sendRendered, sendPhoneText, type RenderedObject } from './phone-reply.js';
import type { KeepRule } from './kept-replies.js';
import type { ServiceDefinition } from './services.js';
import { softKeys, type KeySpec } from './soft-keys.js';

/** Rendered menus kept per phone and page: the menu only changes with the config (dropped on reload). */
const CACHE_LIMIT = 1000;

/** `GET /services` (servicesURL): the discovered service plugins, then the config's own entries. */
export function servicesMenu(services: readonly ServiceDefinition[]): FastifyPluginAsync {
  return async (app) => {
    const cacheOf = perConfig(() => app.ctx.config, () => new Map<string, RenderedObject>());
    app.get<{ Querystring: { page?: string } }>('/services', async (request, reply) => {
      const view = request.phone;
      const requestedPage = Number(request.query.page) || 1;
      const cache = cacheOf();
      const config = app.ctx.config;
      // The menu changes with the config only (a reload brings a new one).
      const keep: KeepRule = { isCurrent: () => app.ctx.config === config };
      const key = [view.name ?? view.previewModel ?? '', view.caps.id, view.language, view.charset, requestedPage].join('|');
      const cached = cache.get(key);
      if (cached) return sendRendered(reply, cached, {}, keep);
      const items: MenuItem[] = [
        ...services
          .filter((s) => s.menu !== false && (s.availableTo?.(view) ?? true))
          .map((s) => ({ name: s.title[view.language], url: phoneUrl(request, s.path) })),
        ...app.ctx.config.services.map((s) => ({ name: s.name, url: s.url })),
      ];
      const title = coreText(view.language, 'services');
      if (items.length === 0) return sendPhoneText(request, reply, title, coreText(view.language, 'noServices'));
      const page = paginate(items, LIMITS.menuItems, requestedPage);
      const keys: KeySpec[] = [{ role: 'select' }, { role: 'exit' }];
      if (page.hasNext) keys.push({ role: 'next', url: phoneUrl(request, '/services', { page: page.page + 1 }) });
      if (page.hasPrevious) keys.push({ role: 'previous', url: phoneUrl(request, '/services', { page: page.page - 1 }) });
      const rendered = renderForPhone(view, {
        kind: 'Menu',
        title,
        prompt: page.pages > 1 ? coreText(view.language, 'page', { page: page.page, pages: page.pages }) : coreText(view.language, 'chooseService'),
        items: page.items,
        softKeys: softKeys(view, keys),
      });
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(key, rendered);
      return sendRendered(reply, rendered, {}, keep);
    });
  };
}
