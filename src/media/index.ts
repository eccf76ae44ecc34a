export { createMediaLibraries, mediaProvider, renderMediaFile, type MediaFile, type MediaLibraries } from './provider.js';
export { ringtoneFileNames, ringtoneToPlay } from './play.js';
export { wavToRingtone, fitRingtone, RING_MAX_SAMPLES, RING_BLOCK, RING_RATE, type RingtoneAudio } from './ringtone-audio.js';
export { readWav, mixToMono, type WavAudio } from './wav.js';
export { resample } from './resample.js';
export { encodeMulaw, decodeMulaw, MULAW_SILENCE } from './mulaw.js';
export { parseDesktopDir, thumbnailSize, renderBackground, type DesktopSpec } from './background-render.js';
