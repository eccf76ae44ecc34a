import { Type } from '@sinclair/typebox';
import { MODEL_IDS } from '../../phones/models.js';
import { Language, Secret, StringEnum } from './common.js';
import { IdleLayout } from './idle.js';

export const Line = Type.Object(
  {
    number: Type.String({ minLength: 1, description: 'Extension / SIP user' }),
    displayName: Type.Optional(Type.String()),
    authName: Type.Optional(Type.String({ description: 'SIP auth user (default: number). A FRITZ!Box needs it equal to the user name' })),
    password: Type.Optional(Secret('SIP password; write "${ENV_VAR}" to keep it out of the file')),
    label: Type.Optional(Type.String({ maxLength: 30, description: 'Text beside the line key' })),
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
    label: Type.Optional(Type.String({ maxLength: 12, description: 'Name shown on the phone and on the web page' })),
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
