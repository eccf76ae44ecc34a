import { normaliseMac } from './mac.js';

/** The config schema's own string formats (`format: mac`), used by the generated validator. */
export const configFormats = {
  mac: (value: string): boolean => normaliseMac(value) !== null,
};
