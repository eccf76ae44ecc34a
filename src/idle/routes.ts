import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { KeepRule } from '../http/kept-replies.js';
import { phoneUrl, sendPhoneBytes, sendPhoneObject } from '../http/phone-reply.js';
import { DEFAULT_PREVIEW_SCALE, minuteOf, type ScreenFor } from './screens.js';

function screenFor(request: FastifyRequest<{ Querystring: { scale?: string } }>, previewScale?: number): ScreenFor {
  const view = request.phone;
  return {
    caps: view.caps,
    language: view.language,
    timeZone: view.timeZone,
    ...(view.phone ? { phone: view.phone } : {}),
    ...(previewScale ? { previewScale } : {}),
  };
}

/**
 * `GET /idle` (the phones' idleURL): a CiscoIPPhoneImageFile pointing at /idle.png on
 * PNG phones, a CiscoIPPhoneImage with the bitmap inline on 7940/7960, with a Refresh header that
 * brings the next minute. `GET /idle.png`: the picture itself (a magnified preview for CIP models).
 */
export const idleRoutes: FastifyPluginAsync = async (app) => {
  const screens = app.ctx.idle;

  app.get<{ Querystring: { scale?: string } }>('/idle', async (request, reply) => {
    const screen = await screens.screen(screenFor(request));
    const refresh = { seconds: screen.refreshSeconds, url: phoneUrl(request, '/idle') };
    if (screen.cip) {
      const { width, height, data } = screen.cip;
      return sendPhoneObject(request, reply, { kind: 'Image', x: 0, y: 0, width, height, depth: 2, data }, { refresh });
    }
    // A phone not in the config may fetch the picture without its model headers: the URL names the model.
    const identity = request.phone.phone ? {} : { model: request.phone.caps.id, lang: request.phone.language };
    return sendPhoneObject(request, reply, { kind: 'ImageFile', x: 0, y: 0, url: phoneUrl(request, '/idle.png', identity) }, { refresh });
  });

  app.get<{ Querystring: { scale?: string } }>('/idle.png', async (request, reply) => {
    const { ctx } = app;
    const { config, calendar } = ctx;
    const events = calendar.version;
    const scale = Number(request.query.scale);
    const screen = await screens.screen(screenFor(request, Number.isFinite(scale) && scale >= 1 ? scale : DEFAULT_PREVIEW_SCALE));
    // The picture stays the answer for the minute it shows, while the config and the events it
    // was drawn from are in force; each answer counts as a cached one on the owner's page.
    const keep: KeepRule = {
      isCurrent: () => ctx.config === config && ctx.calendar === calendar && calendar.version === events && minuteOf(ctx.clock()) === screen.minute,
      onAnswer: () => screens.stats.countRequest(true),
    };
    return sendPhoneBytes(reply, 200, { 'Content-Type': 'image/png', 'Content-Length': screen.png.length, 'Cache-Control': 'no-cache' }, screen.png, keep);
  });
};
