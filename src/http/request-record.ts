/**
 * The record of every answered request (who, what, when): one log line, the status counters of
 * the owner's page, and the phone's last fetch. One function for both ways a request is answered
 * (through the routes, or from the kept replies before routing).
 */
import type { AppContext } from '../context.js';
import { maskUrl } from '../logger.js';

export interface AnsweredRequest {
  /** The phone's device name, when the request names one. */
  name: string | undefined;
  /** The model the answer was made for. */
  model: string | undefined;
  ip: string | undefined;
  method: string;
  /** Path and query as requested. */
  url: string;
  status: number;
  ms: number;
  /** False for the owner's routes and the page's screen preview: those are no contact of a phone. */
  byPhone: boolean;
}

export function requestRecorder(ctx: AppContext): (answered: AnsweredRequest) => void {
  // The request line holds no secret by construction (its URL is masked), so it skips redaction,
  // which costs more than the rest of the line.
  const log = ctx.log.child({}, { redact: { paths: [] } });
  return (a) => {
    log.info({ phone: a.name, ip: a.ip, method: a.method, path: maskUrl(a.url), status: a.status, ms: a.ms }, 'request');
    ctx.httpStats.count(a.status);
    if (a.byPhone && a.name && a.ip !== undefined) {
      const query = a.url.indexOf('?');
      ctx.activity.record({ via: 'http', ip: a.ip, path: query < 0 ? a.url : a.url.slice(0, query), status: a.status < 400 ? 'ok' : 'error', name: a.name, model: a.model });
    }
  };
}
