import { Type } from '@sinclair/typebox';
import { PathString, StringEnum } from './common.js';

export const ServerSection = Type.Object(
  {
    publicUrl: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s/]+(/.*)?$',
        description: 'How phones reach this server (every URL handed to a phone starts with it). Default: http://<this machine\'s LAN IPv4>:<http port>',
      }),
    ),
    http: Type.Object(
      {
        host: Type.String({ default: '0.0.0.0' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 8080 }),
      },
      { default: {}, additionalProperties: false },
    ),
    tftp: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        host: Type.String({ default: '0.0.0.0' }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 69 }),
        root: PathString('Folder with firmware and other static files served over TFTP', './tftp'),
        allow: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9a-fA-F:.]+/[0-9]{1,3}$' }), { description: 'Client subnets allowed to fetch files (CIDR); all when unset' })),
        lockConfigToIp: Type.Boolean({ default: true, description: 'Serve a phone\'s config file (it holds its passwords) only to its ip:, else to the first address that fetched it' }),
        maxBlockSize: Type.Integer({ minimum: 512, maximum: 65464, default: 1468 }),
        maxWindowSize: Type.Integer({ minimum: 1, maximum: 64, default: 16 }),
        maxTransfers: Type.Integer({ minimum: 1, default: 64 }),
        maxPerClient: Type.Integer({ minimum: 1, default: 8 }),
        fileCacheMB: Type.Integer({ minimum: 0, maximum: 4096, default: 64, description: 'MiB of TFTP-root files (firmware) kept in memory, least recently used out first; 0 reads every transfer from disk' }),
      },
      { default: {}, additionalProperties: false },
    ),
    provisioningHttp: Type.Object(
      {
        enabled: Type.Boolean({ default: true }),
        port: Type.Integer({ minimum: 0, maximum: 65535, default: 6970, description: 'Port on which newer firmware fetches its files over HTTP before TFTP' }),
      },
      { default: {}, additionalProperties: false },
    ),
    dataDir: Type.Optional(PathString('Caches and state (default: data/ beside the config file)')),
    logLevel: StringEnum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, { default: 'info' }),
  },
  { default: {}, additionalProperties: false },
);

export const PbxSection = Type.Object(
  {
    host: Type.String({ minLength: 1, description: 'SIP registrar/proxy the phones register with' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 5060 }),
    transport: StringEnum(['udp', 'tcp'] as const, { default: 'udp' }),
  },
  { additionalProperties: false },
);
