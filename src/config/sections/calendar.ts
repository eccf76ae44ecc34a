import { Type } from '@sinclair/typebox';
import { Duration, PathString, Secret, Tagged } from './common.js';

const name = Type.Optional(Type.String({ minLength: 1, maxLength: 32 }));

export const CalendarSource = Tagged([
  Type.Object(
    {
      type: Type.Literal('caldav'),
      name,
      url: Type.String({ pattern: '^https?://', description: 'Server address (calendars are discovered) or one calendar' }),
      username: Type.Optional(Type.String()),
      password: Type.Optional(Secret('CalDAV password')),
      calendars: Type.Optional(Type.Array(Type.String(), { description: 'Only these calendars (display names or last URL segments); all when unset' })),
      refresh: Type.Optional({ ...Duration, description: 'How often to sync (default 5m)' }),
      timeout: Type.Optional({ ...Duration, description: 'Per request (default 10s)' }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('ics'),
      name,
      path: Type.Optional(PathString('A local .ics file')),
      url: Type.Optional(Type.String({ pattern: '^https?://', description: 'An ICS feed (Google, Outlook, ...)' })),
      refresh: Type.Optional({ ...Duration, description: 'How often to check (default 15m for a URL, 1m for a file)' }),
      timeout: Type.Optional({ ...Duration, description: 'Per request (default 10s)' }),
    },
    { additionalProperties: false, description: 'Give either path or url' },
  ),
]);

export const CalendarSection = Type.Object(
  { sources: Type.Array(CalendarSource, { default: [] }) },
  { default: {}, additionalProperties: false },
);
