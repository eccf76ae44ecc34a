import { Type } from '@sinclair/typebox';
import { PathString, StringEnum, Tagged } from './common.js';

export const IdleWidget = Tagged([
  Type.Object(
    {
      type: Type.Literal('clock'),
      hour12: Type.Optional(Type.Boolean({ description: '12-hour clock (default: the custom of the phone\'s language)' })),
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal('date') }, { additionalProperties: false }),
  Type.Object(
    { type: Type.Literal('events'), count: Type.Integer({ minimum: 1, maximum: 10, default: 3 }) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('text'),
      text: Type.String({ description: 'One line per line break; a line too long ends in …' }),
      size: Type.Optional(StringEnum(['small', 'medium', 'large'] as const, { default: 'medium' })),
      align: Type.Optional(StringEnum(['left', 'center'] as const, { default: 'center' })),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('picture'),
      path: PathString('PNG, JPEG or SVG shown on the idle screen'),
      height: Type.Optional(Type.Integer({ minimum: 8, maximum: 320, description: 'Pixels (default: the room the other widgets leave)' })),
    },
    { additionalProperties: false },
  ),
]);

export const IdleLayout = Type.Object(
  {
    widgets: Type.Array(IdleWidget, { minItems: 1, description: 'Drawn top to bottom' }),
    theme: Type.Optional(StringEnum(['light', 'dark'] as const, { description: 'Default: dark on colour phones, light on grey ones' })),
  },
  { additionalProperties: false },
);
