import type { FastifyPluginAsync } from 'fastify';

/** The owner's web page at `/` and its JSON API under `/api/`. */
export const webRoutes: FastifyPluginAsync = async () => {};
