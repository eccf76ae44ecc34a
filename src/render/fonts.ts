/**
 * The idle screen's fonts are ours: DejaVu Sans from the `dejavu-fonts-ttf` package. Text is drawn
 * by sharp (librsvg and Pango), which find fonts through fontconfig. A fontconfig file that lists
 * only the package's folder, with fixed antialiasing and hinting, is put in FONTCONFIG_FILE before
 * the first text is drawn, so a picture is the same on every machine, with or without system fonts.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const FONT_FAMILY = 'DejaVu Sans';

const require = createRequire(import.meta.url);

/** Folder of the packaged TrueType files. */
export const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export type FontWeight = 'regular' | 'bold';

/** The TrueType file of a weight (sharp's `fontfile`). */
export function fontFile(weight: FontWeight): string {
  return path.join(FONT_DIR, weight === 'bold' ? 'DejaVuSans-Bold.ttf' : 'DejaVuSans.ttf');
}

/** The fontconfig document: our font folder only, every unknown family mapped to DejaVu Sans. */
export function fontconfigXml(fontDir: string, cacheDir: string): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${esc(fontDir)}</dir>
  <cachedir>${esc(cacheDir)}</cachedir>
  <match target="pattern"><edit name="family" mode="append_last"><string>${FONT_FAMILY}</string></edit></match>
  <match target="font">
    <edit name="antialias" mode="assign"><bool>true</bool></edit>
    <edit name="hinting" mode="assign"><bool>true</bool></edit>
    <edit name="hintstyle" mode="assign"><const>hintslight</const></edit>
    <edit name="rgba" mode="assign"><const>none</const></edit>
    <edit name="embeddedbitmap" mode="assign"><bool>false</bool></edit>
  </match>
</fontconfig>
`;
}

let installed = false;

/**
 * Points fontconfig at the packaged fonts. Must run before sharp draws its first text (fontconfig
 * reads the variable once); the idle renderer calls it before every render, which is cheap.
 */
export function useBundledFonts(): void {
  if (installed) return;
  installed = true;
  const dir = path.join(os.tmpdir(), `ciscophone-fonts-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'fonts.conf');
  // Written aside and renamed, so a process starting at the same moment never reads half a file.
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, fontconfigXml(FONT_DIR, path.join(dir, 'cache')));
  renameSync(partial, file);
  process.env.FONTCONFIG_FILE = file;
}
