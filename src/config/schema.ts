import { Type, type Static } from '@sinclair/typebox';
import { CalendarSection } from './sections/calendar.js';
import { DirectorySection } from './sections/directory.js';
import { IdleLayout } from './sections/idle.js';
import { BackgroundsSection, DialplanSection, RingtonesSection } from './sections/media.js';
import { AdminSection, ApiSection, PushSection } from './sections/access.js';
import { AnnounceSection } from './sections/announce.js';
import { Phone, PhoneDefaults, ServiceEntry } from './sections/phones.js';
import { PbxSection, ServerSection } from './sections/server.js';

/** The whole ciscophone.yaml. `ciscophone schema` prints it as JSON Schema for editors. */
export const ConfigSchema = Type.Object(
  {
    server: ServerSection,
    pbx: PbxSection,
    defaults: PhoneDefaults,
    phones: Type.Array(Phone, { default: [] }),
    services: Type.Array(ServiceEntry, { default: [], description: 'Extra entries for the Services menu' }),
    directory: DirectorySection,
    calendar: CalendarSection,
    idle: Type.Optional(IdleLayout),
    ringtones: RingtonesSection,
    backgrounds: BackgroundsSection,
    dialplan: DialplanSection,
    push: Type.Optional(PushSection),
    api: Type.Optional(ApiSection),
    announce: Type.Optional(AnnounceSection),
    admin: AdminSection,
  },
  { additionalProperties: false, title: 'ciscophone configuration' },
);

export type Config = Static<typeof ConfigSchema>;
export type PhoneConfig = Static<typeof Phone>;
export type PhoneSettings = Static<typeof PhoneDefaults>;
export type LineConfig = PhoneConfig['lines'][number];
export type KeyConfig = PhoneConfig['keys'][number];
export type ContactSourceConfig = Config['directory']['sources'][number];
export type CalendarSourceConfig = Config['calendar']['sources'][number];
export type IdleLayoutConfig = Static<typeof IdleLayout>;
