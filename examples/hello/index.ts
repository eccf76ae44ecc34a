/**
 * "Hello" in the Services menu: a Text screen that greets the phone by its label, in its
 * language, with an Exit key. Copy this folder to services/hello/ and restart ciscophone.
 */
import { sendPhoneObject } from '../../src/http/phone-reply.js';
import { defineService } from '../../src/http/services.js';
import { softKeys } from '../../src/http/soft-keys.js';

export default defineService({
  id: 'hello',
  title: { en: 'Hello', de: 'Hallo' },
  path: '/hello',
  plugin: async (app) => {
    app.get('/hello', async (request, reply) => {
      // Who is asking: the configured phone (if any), its model, language and time zone; the
      // server's context (`request.server.ctx`) has its clock, phone book, calendar, config.
      const view = request.phone;
      const who = view.phone?.label ?? view.caps.modelName;
      const time = request.server.ctx.clock().toLocaleTimeString(view.language, { timeZone: view.timeZone, timeStyle: 'short' });
      return sendPhoneObject(request, reply, {
        kind: 'Text',
        title: view.language === 'de' ? 'Hallo' : 'Hello',
        text: view.language === 'de' ? `Hallo ${who}, es ist ${time}.` : `Hello ${who}, it is ${time}.`,
        softKeys: softKeys(view, [{ role: 'exit' }]),
      });
    });
  },
});
