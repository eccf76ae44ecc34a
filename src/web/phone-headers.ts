/**
 * The request headers a real phone of a model sends with every services request (Cisco developer
 * notes, "HTTP Requests and Header Settings"): the preview asks the server with them, so it gets
 * exactly what that phone would get.
 */
import { familyOf } from '../phones/families.js';
import type { ModelCaps } from '../phones/models.js';

export function phoneRequestHeaders(caps: ModelCaps, language = 'en'): Record<string, string> {
  const { width, height, depth, color } = caps.display;
  const { request } = familyOf(caps);
  return {
    'x-CiscoIPPhoneModelName': caps.modelName,
    'x-CiscoIPPhoneDisplay': `${width}, ${height}, ${depth}, ${color ? 'C' : 'G'}`,
    'x-CiscoIPPhoneSDKVersion': request.sdkVersion,
    Accept: request.accept,
    'Accept-Charset': caps.charset === 'utf-8' ? 'utf-8,iso-8859-1;q=0.8' : 'iso-8859-1, utf-8;q=0.8',
    'Accept-Language': language === 'de' ? 'de-DE' : 'en-US',
    'User-Agent': request.userAgent,
  };
}
