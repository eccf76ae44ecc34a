import type { AppContext } from '../context.js';
import type { PhoneView } from './identify.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared context: config, inventory, stores, activity. */
    ctx: AppContext;
  }
  interface FastifyRequest {
    /** The phone this request comes from (or is previewed for). */
    phone: PhoneView;
  }
}
