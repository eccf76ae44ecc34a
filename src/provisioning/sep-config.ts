/**
 * `SEP<MAC>.cnf.xml`: the whole configuration of a 79x1/79x2/79x5/797x phone on SIP firmware
 * (pure). Element names, order and defaults follow the seed's working template; the values come
 * from the inventory (phone settings over `defaults:`) and the PBX section.
 */
import type { ResolvedConfig } from '../config/load.js';
import type { Phone } from '../phones/inventory.js';
import { planButtons } from './buttons.js';
import { dateTimeFormat, localeCode } from './locale.js';
import type { PhoneUrls } from './phone-urls.js';
import { ciscoTimeZone } from './time-zones.js';
import { callManagerGroup, contentStamp, xmlText, type XmlTree } from './xml-file.js';

export interface SepInput {
  phone: Phone;
  pbx: ResolvedConfig['pbx'];
  urls: PhoneUrls;
  /** `.loads` name without extension; the element is left empty when unknown (the phone keeps its load). */
  loadInformation: string | undefined;
  /** Name of the dial plan file on the TFTP server. */
  dialTemplate: string;
  /** Replace passwords with `********` (for showing a file, never for a phone). */
  mask?: boolean;
}

export const MASKED = '********';

/** `<vendorConfig>` defaults (the seed's); `phones[].vendorConfig` / `defaults.vendorConfig` override or add. */
export const VENDOR_DEFAULTS: Readonly<Record<string, string | number>> = {
  disableSpeaker: 'false',
  disableSpeakerAndHeadset: 'false',
  pcPort: 0,
  settingsAccess: 1,
  garp: 0,
  voiceVlanAccess: 0,
  videoCapability: 0,
  autoSelectLineEnable: 0,
  sshAccess: 0,
  sshPort: 22,
  webAccess: 0,
  spanToPCPort: 1,
  loggingDisplay: 1,
  loadServer: '',
  daysDisplayNotActive: '',
  // On from midnight for 24 hours: the display never powers down by itself, so the idle screen
  // stays visible (usecallmanager sepmac-cnf-xml: displayOnTime/displayOnDuration/displayIdleTimeout).
  displayOnTime: '00:00',
  displayOnDuration: '24:00',
  displayIdleTimeout: '00:00',
  displayOnWhenIncomingCall: 1,
};

/** Cisco `transportLayerProtocol`: 1 TCP, 2 UDP. */
const TRANSPORT = { tcp: 1, udp: 2 } as const;

/** `langCode` when the locale name does not say (a folder name of the owner's own). */
const LANG_CODES = { en: 'en_US', de: 'de_DE' } as const;

function vendorConfig(phone: Phone): XmlTree {
  const merged: Record<string, string | number | boolean> = { ...VENDOR_DEFAULTS };
  // Without an SSH password of its own the console stays closed (the seed's admin/admin is not a default).
  if (!phone.sshPassword) merged['sshAccess'] = 1;
  if (phone.powerSave) {
    merged['displayOnTime'] = phone.powerSave.onTime;
    merged['displayOnDuration'] = phone.powerSave.duration;
    merged['displayIdleTimeout'] = phone.powerSave.idleTimeout;
  }
  Object.assign(merged, phone.vendorConfig ?? {});
  return merged;
}

function lineElement(phone: Phone, pbx: SepInput['pbx'], placed: ReturnType<typeof planButtons>['lines'][number], secret: (v: string) => string): XmlTree {
  const { line, index, button } = placed;
  const authName = line.authName ?? line.number;
  return {
    '@button': button,
    '@lineIndex': index,
    featureID: 9,
    featureLabel: line.label ?? line.displayName ?? line.number,
    // A FRITZ!Box (and most registrars) want the SIP user name equal to the auth name.
    name: authName,
    displayName: line.displayName ?? line.number,
    contact: line.number,
    // USECALLMANAGER: register with the callManagerGroup member (the PBX), not a per-line proxy.
    proxy: 'USECALLMANAGER',
    port: pbx.port,
    autoAnswer: { autoAnswerEnabled: 2 },
    callWaiting: 3,
    authName,
    authPassword: secret(line.password ?? ''),
    sharedLine: 'false',
    messageWaitingLampPolicy: 1,
    messagesNumber: line.messagesNumber ?? phone.messagesNumber ?? '',
    ringSettingIdle: 4,
    ringSettingActive: 5,
    forwardCallInfoDisplay: { callerName: 'true', callerNumber: 'true', redirectedNumber: 'false', dialedNumber: 'true' },
  };
}

function sipLines(input: SepInput, secret: (v: string) => string): XmlTree[] {
  const { phone, pbx } = input;
  const plan = planButtons(phone.lines, phone.keys, phone.caps.lineButtons);
  const lines = plan.lines.map((placed) => ({ button: placed.button, xml: lineElement(phone, pbx, placed, secret) }));
  const keys = plan.keys.map(({ button, key }) => ({
    button,
    xml: {
      '@button': button,
      // line-keys: 2 = speed dial, 21 = BLF speed dial (needs dialog-state SUBSCRIBE on the PBX).
      featureID: key.type === 'blf' ? 21 : 2,
      featureLabel: key.label,
      speedDialNumber: key.number,
    } satisfies XmlTree,
  }));
  return [...lines, ...keys].sort((a, b) => a.button - b.button).map((b) => b.xml);
}

function deviceTree(input: SepInput, versionStamp: string | undefined): XmlTree {
  const { phone, pbx, urls } = input;
  const secret = (value: string): string => (input.mask && value ? MASKED : value);
  const ntpServers = phone.ntp && phone.ntp.length > 0 ? phone.ntp : [pbx.host];
  const tree: XmlTree = {
    deviceProtocol: 'SIP',
    sshUserId: phone.sshUser ?? 'admin',
    sshPassword: secret(phone.sshPassword ?? ''),
    devicePool: {
      dateTimeSetting: {
        dateTemplate: dateTimeFormat(phone).template,
        timeZone: ciscoTimeZone(phone.timeZone),
        ntps: { ntp: ntpServers.map((name) => ({ name, ntpMode: 'Unicast' })) },
      },
      callManagerGroup: callManagerGroup(pbx),
    },
    commonProfile: {
      phonePassword: secret(phone.phonePassword ?? ''),
      backgroundImageAccess: 'true',
      callLogBlfEnabled: 2,
    },
    loadInformation: input.loadInformation ?? '',
    vendorConfig: vendorConfig(phone),
  };
  if (versionStamp !== undefined) tree['versionStamp'] = versionStamp;
  if (phone.userLocale) {
    tree['userLocale'] = { name: phone.userLocale, uid: 1, langCode: localeCode(phone.userLocale) ?? LANG_CODES[phone.language], version: '1.0.0.0-1', winCharSet: 'utf-8' };
  }
  if (phone.networkLocale) {
    tree['networkLocale'] = phone.networkLocale;
    tree['networkLocaleInfo'] = { name: phone.networkLocale, version: '1.0.0.0-1' };
  }
  Object.assign(tree, {
    deviceSecurityMode: 1,
    authenticationURL: urls.authenticationURL,
    directoryURL: urls.directoryURL,
    idleURL: urls.idleURL,
    idleTimeout: phone.idleTimeout ?? 60,
    informationURL: urls.informationURL,
    messagesURL: urls.messagesURL,
    proxyServerURL: '',
    servicesURL: urls.servicesURL,
    dscpForSCCPPhoneConfig: 96,
    dscpForSCCPPhoneServices: 0,
    dscpForCm2Dvce: 96,
    transportLayerProtocol: TRANSPORT[pbx.transport],
    capfAuthMode: 0,
    capfList: { capf: { phonePort: 3804 } },
    certHash: '',
    encrConfig: 'false',
    sipProfile: sipProfile(input, secret),
  });
  return { device: tree };
}

function sipProfile(input: SepInput, secret: (v: string) => string): XmlTree {
  const { phone, pbx } = input;
  return {
    sipProxies: {
      backupProxy: '',
      backupProxyPort: '',
      emergencyProxy: '',
      emergencyProxyPort: '',
      outboundProxy: pbx.host,
      outboundProxyPort: pbx.port,
      registerWithProxy: 'true',
    },
    sipCallFeatures: {
      cnfJoinEnabled: 'true',
      callForwardURI: 'x-cisco-serviceuri-cfwdall',
      callPickupURI: 'x-cisco-serviceuri-pickup',
      callPickupListURI: 'x-cisco-serviceuri-opickup',
      callPickupGroupURI: 'x-cisco-serviceuri-gpickup',
      meetMeServiceURI: 'x-cisco-serviceuri-meetme',
      abbreviatedDialURI: 'x-cisco-serviceuri-abbrdial',
      rfc2543Hold: 'false',
      callHoldRingback: 2,
      localCfwdEnable: 'true',
      semiAttendedTransfer: 'true',
      anonymousCallBlock: 2,
      callerIdBlocking: 2,
      dndControl: 0,
      remoteCcEnable: 'true',
    },
    sipStack: {
      sipInviteRetx: 6,
      sipRetx: 10,
      timerInviteExpires: 180,
      timerRegisterExpires: 3600,
      timerRegisterDelta: 5,
      timerKeepAliveExpires: 120,
      timerSubscribeExpires: 120,
      timerSubscribeDelta: 5,
      timerT1: 500,
      timerT2: 4000,
      maxRedirects: 70,
      remotePartyID: 'false',
      userInfo: 'None',
    },
    autoAnswerTimer: 1,
    autoAnswerAltBehavior: 'false',
    autoAnswerOverride: 'true',
    transferOnhookEnabled: 'false',
    enableVad: 'false',
    preferredCodec: 'none',
    dtmfAvtPayload: 101,
    dtmfDbLevel: 3,
    dtmfOutofBand: 'avt',
    alwaysUsePrimeLine: 'false',
    alwaysUsePrimeLineVoiceMail: 'false',
    kpml: 3,
    natEnabled: 'false',
    natAddress: '',
    stutterMsgWaiting: 0,
    callStats: 'false',
    silentPeriodBetweenCallWaitingBursts: 10,
    disableLocalSpeedDialConfig: 'false',
    startMediaPort: 16384,
    stopMediaPort: 32766,
    voipControlPort: 5060,
    dscpForAudio: 184,
    ringSettingBusyStationPolicy: 0,
    dialTemplate: input.dialTemplate,
    phoneLabel: phone.label ?? '',
    sipLines: { line: sipLines(input, secret) },
  };
}

/**
 * The file as the phone gets it. `versionStamp` is a fingerprint of everything else in the file
 * (passwords included, masked or not), so the phone sees a new stamp exactly when its config changed.
 */
export function renderSepConfig(input: SepInput): string {
  const stamp = contentStamp(xmlText(deviceTree({ ...input, mask: false }, undefined)));
  return xmlText(deviceTree(input, stamp));
}
