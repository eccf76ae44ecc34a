import { Type } from '@sinclair/typebox';
import { PathString, StringEnum } from './common.js';

export const RingtonesSection = Type.Object(
  {
    folder: PathString('WAV files to offer as ring tones', './assets/ringtones'),
    names: Type.Record(Type.String(), Type.String({ maxLength: 25 }), { default: {}, description: 'File name → name shown on the phone' }),
  },
  { default: {}, additionalProperties: false },
);

export const BackgroundsSection = Type.Object(
  { folder: PathString('Pictures to offer as phone backgrounds', './assets/backgrounds') },
  { default: {}, additionalProperties: false },
);

export const DialplanRule = Type.Object(
  {
    match: Type.String({ description: 'Pattern: digits, . (any one), * (any), \\* (a star), , (second dial tone)' }),
    timeout: Type.Optional(Type.Integer({ minimum: 0, description: 'Seconds to wait for more digits once the pattern matches; unset: the phone\'s own inter-digit timer' })),
    user: Type.Optional(StringEnum(['Phone', 'IP'] as const)),
    rewrite: Type.Optional(Type.String()),
    line: Type.Optional(Type.Integer({ minimum: 0 })),
    route: Type.Optional(StringEnum(['Default', 'Emergency', 'FQDN'] as const)),
    tone: Type.Optional(Type.String({ description: 'Tone played at each , of the pattern; several comma-separated (at most 3), e.g. Bellcore-Outside' })),
  },
  { additionalProperties: false },
);

export const DialplanSection = Type.Object(
  { rules: Type.Array(DialplanRule, { default: [] }) },
  { default: {}, additionalProperties: false },
);
