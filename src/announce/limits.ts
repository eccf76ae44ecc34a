/** `announce.maxSeconds` when the config does not say. */
export const DEFAULT_ANNOUNCE_MAX_S = 60;
/** The most `announce.maxSeconds` may be. */
export const ANNOUNCE_MAX_S_CEILING = 600;
