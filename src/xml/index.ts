/** CiscoIPPhone XML objects: building, encoding, paging and reading phone replies. */
export { type Charset, charsetLabel, encodeBody, transliterate } from './charset.js';
export { cipDataLength, LIMITS } from './limits.js';
export {
  type CipImage,
  type DirectoryEntry,
  type DirectoryObject,
  type ErrorObject,
  type ExecuteItem,
  type ExecuteObject,
  type GraphicFileMenuObject,
  type GraphicMenuObject,
  type IconFileItem,
  type IconFileMenuObject,
  type IconItem,
  type IconMenuObject,
  type ImageFileObject,
  type ImageObject,
  type InputFlags,
  type InputItem,
  type InputObject,
  type MenuItem,
  type MenuObject,
  type PhoneObject,
  type PhoneObjectKind,
  rootElement,
  serialize,
  type SoftKey,
  type StatusFileObject,
  type StatusObject,
  type TextObject,
  type TouchArea,
  type TouchMenuItem,
} from './objects.js';
export { type Page, paginate } from './paging.js';
export { type PhoneReply, parsePhoneReply } from './response.js';
export { buildUrl, describeUrl, INTERNAL_URI_SCHEMES, type InternalUriScheme, urlKind, type UrlKind, urlProblem } from './url.js';
