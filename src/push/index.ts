/** Pushing to phones: what the CLI, the API, the web page and ring tones use. */
export { type PushAction, pushActionProblem } from './action.js';
export { readImageInput } from './image.js';
export { phoneAddress, type PushResult, type PushStatus, type PushTargets, pushToPhones } from './push.js';
