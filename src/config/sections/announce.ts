import { Type } from '@sinclair/typebox';
import { ANNOUNCE_MAX_S_CEILING, DEFAULT_ANNOUNCE_MAX_S } from '../../announce/limits.js';

export const AnnounceSection = Type.Object(
  {
    maxSeconds: Type.Optional(
      Type.Integer({ minimum: 1, maximum: ANNOUNCE_MAX_S_CEILING, default: DEFAULT_ANNOUNCE_MAX_S, description: 'Longest announcement; longer sound is cut' }),
    ),
    multicast: Type.Optional(
      Type.String({
        pattern: '^239\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d):(204[89][02468]|20[5-9]\\d[02468]|2[1-9]\\d\\d[02468]|3[01]\\d\\d[02468]|32[0-6]\\d[02468]|327[0-5][02468]|3276[02468])$',
        description: 'Send one multicast stream (239.x.y.z:port, an even port 20480-32768) instead of one per phone',
      }),
    ),
  },
  { additionalProperties: false },
);
