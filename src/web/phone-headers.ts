/**
 * The request headers a real phone of a model sends with every services request (Cisco developer
 * notes, "HTTP Requests and Header Settings"): the preview asks the server with them, so it gets
 * exactly what that phone would get.
 */
import type { ModelCaps } from '../phones/models.js';

export function phoneRequestHeaders(caps: ModelCaps, language = 'en'): Record<string, string> {
  const { width, height, depth, color } = caps.display;
  const old = caps.family === '79x0';
  return {
    'x-CiscoIPPhoneModelName': caps.modelName,
    'x-CiscoIPPhoneDisplay': `${width}, ${height}, ${depth}, ${color ? 'C' : 'G'}`,
    'x-CiscoIPPhoneSDKVersion': old ? '2.0' : '6.0.2',
    // Cisco developer notes and davidc.net "Cisco IP Phone Notes": 7940/7960 name their object
    // version and text; newer loads add PNG.
    Accept: old ? 'x-CiscoIPPhone/*;version=2.0, text/*' : 'x-CiscoIPPhone/*, text/*,image/png,*/*',
    'Accept-Charset': caps.charset === 'utf-8' ? 'utf-8,iso-8859-1;q=0.8' : 'iso-8859-1, utf-8;q=0.8',
    'Accept-Language': language === 'de' ? 'de-DE' : 'en-US',
    'User-Agent': old ? 'Allegro-Software-WebClient/3.12' : 'Allegro-Software-WebClient/4.34',
  };
}
