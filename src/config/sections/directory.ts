import { Type } from '@sinclair/typebox';
import { Duration, PathString, Secret, Tagged } from './common.js';

const name = Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Shown in the menu when there are several sources' }));

export const ContactSource = Tagged([
  Type.Object(
    {
      type: Type.Literal('carddav'),
      name,
      url: Type.String({ pattern: '^https?://', description: 'Server address (address books are discovered) or one address book' }),
      username: Type.Optional(Type.String()),
      password: Type.Optional(Secret('CardDAV password')),
      refresh: Type.Optional(Duration),
      timeout: Type.Optional(Duration),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('vcard'), name, path: PathString('A .vcf file or a folder of them') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('fritzbox'), name, path: PathString('A FRITZ!Box phone book export (XML)') }, { additionalProperties: false }),
]);

export const DirectorySection = Type.Object(
  {
    sources: Type.Array(ContactSource, { default: [] }),
    dialing: Type.Object(
      {
        country: Type.String({ pattern: '^[0-9]{1,3}$', default: '49', description: 'Country calling code of the PBX' }),
        internationalPrefix: Type.String({ default: '00' }),
        trunkPrefix: Type.String({ default: '0' }),
        outsideLinePrefix: Type.String({ default: '' }),
      },
      { default: {}, additionalProperties: false },
    ),
  },
  { default: {}, additionalProperties: false },
);
