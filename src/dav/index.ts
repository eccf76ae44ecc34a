/** DAV access shared by the phone book (CardDAV) and the agenda (CalDAV). */
export {
  type CollectionKind,
  createDavClient,
  type DavClient,
  type DavClientOptions,
  type DavCollection,
  type DavObject,
  type SyncResult,
  type SyncState,
} from './client.js';
export { createDavFetch, type DavFetchOptions } from './http.js';
