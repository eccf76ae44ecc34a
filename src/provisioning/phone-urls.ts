/**
 * The service URLs a config file hands a phone. Each carries `name=SEP…`, so every request the
 * phone makes later is identified. To authenticationURL the phone appends its own query (UserID,
 * Password, devicename) with `?` or `&`; /authenticate reads both forms. Information and messages have no page here, so they stay empty
 * (the phone then keeps its own behaviour for the ? and messages keys).
 */
import { LIMITS } from '../xml/limits.js';
import { XmlLimitError } from '../errors.js';
import { buildUrl } from '../xml/url.js';

export interface PhoneUrls {
  idleURL: string;
  servicesURL: string;
  directoryURL: string;
  authenticationURL: string;
  informationURL: string;
  messagesURL: string;
}

/** Path on our HTTP server for each URL element ('' = nothing serves it). */
const PATHS: Record<keyof PhoneUrls, string> = {
  idleURL: '/idle',
  servicesURL: '/services',
  directoryURL: '/directory',
  authenticationURL: '/authenticate',
  informationURL: '',
  messagesURL: '',
};

/** The URLs for one phone; without a device name (XMLDefault) the server identifies it by its headers. */
export function phoneUrls(publicUrl: string, deviceName: string | undefined): PhoneUrls {
  const entries = Object.entries(PATHS).map(([key, path]) => {
    const url = path ? buildUrl(publicUrl, path, { name: deviceName }) : '';
    // The phones keep at most 255 characters of a URL element; a longer one would be cut silently.
    if (url.length > LIMITS.url) throw new XmlLimitError(`${key} is longer than ${LIMITS.url} characters; shorten server.publicUrl`);
    return [key, url] as const;
  });
  return Object.fromEntries(entries) as unknown as PhoneUrls;
}
