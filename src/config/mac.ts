/** Accepts 00:80:41:ae:fd:7e, 00-80-41-AE-FD-7E, 0080.41ae.fd7e and 008041AEFD7E. */
const MAC_FORMS = [
  /^([0-9a-f]{2})([:-])([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})\2([0-9a-f]{2})$/i,
  /^([0-9a-f]{4})\.([0-9a-f]{4})\.([0-9a-f]{4})$/i,
  /^([0-9a-f]{12})$/i,
];

/** The 12 upper-case hex digits phones use in file names (`SEP008041AEFD7E`), or null. */
export function normaliseMac(input: string): string | null {
  const value = input.trim();
  if (!MAC_FORMS.some((re) => re.test(value))) return null;
  return value.replace(/[^0-9a-f]/gi, '').toUpperCase();
}

/** `SEP` + MAC: the device name phones use for their files and in our URLs. */
export function deviceName(mac: string): string {
  return `SEP${mac}`;
}

/** The MAC inside a device name such as `SEP008041AEFD7E`, or null. */
export function macFromDeviceName(name: string): string | null {
  const m = /^SEP([0-9A-F]{12})$/i.exec(name.trim());
  return m ? m[1]!.toUpperCase() : null;
}
