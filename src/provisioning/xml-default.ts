/**
 * `XMLDefault.cnf.xml` (pure): what a phone missing from the inventory gets after its own
 * `SEP<MAC>.cnf.xml` was not found. It names the PBX (a callManager needs both
 * `ethernetPhonePort` and `processNodeName` or the phone ignores the file), the firmware per
 * model as `loadInformation<device type code>`, and our service URLs without a device name.
 */
import type { ResolvedConfig } from '../config/load.js';
import type { ModelCaps } from '../phones/models.js';
import type { PhoneUrls } from './phone-urls.js';
import { callManagerGroup, xmlText, type XmlTree } from './xml-file.js';

export interface XmlDefaultInput {
  pbx: ResolvedConfig['pbx'];
  /** Known loads per model (those without one are left out). */
  loads: ReadonlyArray<{ caps: ModelCaps; load: string }>;
  urls: PhoneUrls;
}

export function renderXmlDefault(input: XmlDefaultInput): string {
  const { pbx, urls } = input;
  const root: XmlTree = { callManagerGroup: callManagerGroup(pbx) };
  for (const { caps, load } of input.loads) {
    root[`loadInformation${caps.deviceTypeCode}`] = { '@model': `Cisco ${caps.id}`, '#': load };
  }
  Object.assign(root, {
    authenticationURL: urls.authenticationURL,
    directoryURL: urls.directoryURL,
    idleURL: urls.idleURL,
    informationURL: urls.informationURL,
    messagesURL: urls.messagesURL,
    servicesURL: urls.servicesURL,
  });
  return xmlText({ Default: root });
}
