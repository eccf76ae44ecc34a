export { TftpServer } from './server.js';
export type {
  DeniedEvent,
  DenyReason,
  MissEvent,
  TftpLogger,
  TftpServerEvents,
  TftpServerOptions,
  TftpStats,
  TransferEndEvent,
  TransferProgressEvent,
  TransferStartEvent,
  VirtualFileProvider,
} from './server.js';
export { bufferFile, openDiskFile, type TftpFile } from './files.js';
export { clientFromRemote, createAllowList, normaliseAddress, type TftpClient } from './clients.js';
export { macFromName, normaliseRequestName } from './names.js';
export { resolveStatic, type StaticLookup } from './static-root.js';
export { MAX_TIMEOUT_SECONDS, negotiateOptions, type Negotiated, type NegotiationLimits } from './options.js';
export { encodeNetascii, netasciiFile } from './netascii.js';
export { bindErrorMessage } from './bind-error.js';
export * from './packet.js';
