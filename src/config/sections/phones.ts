import { Type } from '@sinclair/typebox';
import { MODEL_IDS } from '../../phones/models.js';
import { Language, Secret, StringEnum } from './common.js';
import { IdleLayout } from './idle.js';

/** Longest line name, auth name, display name, label and password the phones keep (usecallmanager sepmac-cnf-xml, line-keys). */
export const LINE_FIELD_MAX = 30;

export const Line = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: LINE_FIELD_MAX, description: 'Extension / SIP user' }),
    displayName: Type.Optional(Type.String({ maxLength: LINE_FIELD_MAX })),
    authName: Type.Optional(Type.String({ maxLength: LINE_FIELD_MAX, description: 'SIP auth user (default: number). A FRITZ!Box needs it equal to the user name' })),
    password: Type.Optional(Secret('SIP password; write "${ENV_VAR}" to keep it out of the file', { maxLength: LINE_FIELD_MAX })),
    label: Type.Optional(Type.String({ maxLength: LINE_FIELD_MAX, description: 'Text beside the line key' })),
    messagesNumber: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const Key = Type.Object(
  {
    type: StringEnum(['speeddial', 'blf'] as const),
    number: Type.String({ minLength: 1 }),
    label: Type.String({ minLength: 1, maxLength: 30 }),
    button: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
  },
  { additionalProperties: false },
);

const ClockTime = (description: string) => Type.String({ pattern: '^([01][0-9]|2[0-4]):[0-5][0-9]$', description });

/** Display power saving (794x/796x/7945/7965): off unless configured, so the idle screen stays visible. */
export const PowerSave = Type.Object(
  {
    onTime: ClockTime('Time of day the display switches on, HH:MM'),
    duration: ClockTime('How long it stays on from then, HH:MM'),
    idleTimeout: ClockTime('Outside that period: idle time before it switches off again, HH:MM'),
  },
  { additionalProperties: false },
);

/** Settings every phone has; `defaults:` holds them for all phones, a phone's own keys override. */
const phoneSettings = {
  language: Type.Optional(Language),
  timeZone: Type.Optional(Type.String({ description: 'IANA time zone, e.g. Europe/Berlin' })),
  dateTemplate: Type.Optional(Type.String({ description: 'Phone date format, e.g. D.M.YY or M/D/Y' })),
  ntp: Type.Optional(Type.Array(Type.String(), { description: 'NTP servers (default: the PBX host)' })),
  loadInformation: Type.Optional(Type.String({ description: 'Firmware load (the .loads file name without extension); found in the TFTP root when unset' })),
  idleTimeout: Type.Optional(Type.Integer({ minimum: 0, description: 'Seconds idle before the idle screen shows; 0 turns it off' })),
  idle: Type.Optional(IdleLayout),
  calendars: Type.Optional(Type.Array(Type.String(), { description: 'Names of the calendars this phone shows (all when unset)' })),
  messagesNumber: Type.Optional(Type.String()),
  sshUser: Type.Optional(Type.String()),
  sshPassword: Type.Optional(Secret('Password of the phone\'s SSH console')),
  phonePassword: Type.Optional(Secret('Settings unlock password')),
  userLocale: Type.Optional(Type.String({ description: 'Cisco locale folder, e.g. German_Germany' })),
  networkLocale: Type.Optional(Type.String({ description: 'Cisco network locale folder, e.g. Germany' })),
  powerSave: Type.Optional(PowerSave),
  push: Type.Optional(
    Type.Object(
      { username: Type.String(), password: Secret('Password a push to this phone must carry') },
      { additionalProperties: false },
    ),
  ),
  vendorConfig: Type.Optional(
    Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]), {
      description: 'Extra or overridden <vendorConfig> elements, e.g. webAccess: 0',
    }),
  ),
};

export const PhoneDefaults = Type.Object(phoneSettings, { default: {}, additionalProperties: false });

export const Phone = Type.Object(
  {
    mac: Type.String({ format: 'mac', description: 'MAC address in any common form (00:80:41:ae:fd:7e, 0080.41ae.fd7e, 008041AEFD7E)' }),
    model: StringEnum(MODEL_IDS),
    label: Type.Optional(Type.String({ maxLength: 12, description: 'Name shown on the phone and on the web page; no spaces, at most 11 characters on a 7940/7960' })),
    ip: Type.Optional(Type.String({ description: 'Address (optionally host:port) for pushes; default: where the phone last came from' })),
    lines: Type.Array(Line, { default: [] }),
    keys: Type.Array(Key, { default: [] }),
    ...phoneSettings,
  },
  { additionalProperties: false },
);

export const ServiceEntry = Type.Object(
  { name: Type.String({ minLength: 1 }), url: Type.String({ pattern: '^https?://' }) },
  { additionalProperties: false },
);
