/**
 * `XMLDefault.cnf.xml` (pure): what a phone missing from the inventory gets after its own
 * `SEP<MAC>.cnf.xml` was not found. It names the PBX (a callManager needs both
 * `ethernetPhonePort` and `processNodeName` or the phone ignores the file), the firmware per
 * model as `loadInformation<device type code>` (7940/7960 included: a phone still on SCCP
 * firmware reads this file and fetches the SIP image named there), and our service URLs without a
 * device name.
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
    for (const variant of caps.variants) root[`loadInformation${variant.deviceTypeCode}`] = { '@model': `Cisco ${variant.name}`, '#': load };
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

/**
 * `SEP<MAC>.cnf.xml` for a configured 7940/7960: a phone still on SCCP firmware asks for it first
 * and moves to the load named here; on SIP firmware it asks for `SIP<MAC>.cnf` instead. Carries
 * no secret.
 */
export function renderSccpConversion(input: { pbx: ResolvedConfig['pbx']; caps: ModelCaps; load: string }): string {
  return xmlText({
    device: {
      devicePool: { callManagerGroup: callManagerGroup(input.pbx) },
      loadInformation: { '@model': `Cisco ${input.caps.id}`, '#': input.load },
    },
  });
}
