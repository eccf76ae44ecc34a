/**
 * `dialplan.xml` from `dialplan.rules` (pure), and the checks the phone's own parser would fail
 * on. The SIP stack (dialplan.c/.h in Cisco's sipcc) matches `TEMPLATE` case-sensitively, rejects
 * the whole plan on any error, and limits the file to under 8 KiB, each pattern and rewrite to
 * 196 bytes and the tones of one rule to 3.
 */
import type { Config } from '../config/schema.js';
import type { ConfigProblem } from '../config/problems.js';
import { xmlText, type XmlTree } from './xml-file.js';

export type DialplanRule = Config['dialplan']['rules'][number];

/** DIALPLAN_MAX_SIZE = 0x2000; the file must stay below it. */
export const DIALPLAN_MAX_BYTES = 0x2000;
/** MAX_TEMPLATE_LENGTH: longest MATCH or REWRITE. */
export const TEMPLATE_MAX_BYTES = 196;
export const MAX_TONES = 3;

/** Tone names the SIP firmware knows (sipcc tone_names[]). */
export const TONE_NAMES: readonly string[] = [
  'Bellcore-Inside', 'Bellcore-Outside', 'Bellcore-Busy', 'Bellcore-Alerting', 'Bellcore-BusyVerify',
  'Bellcore-Stutter', 'Bellcore-MsgWaiting', 'Bellcore-Reorder', 'Bellcore-CallWaiting', 'Bellcore-Cw2',
  'Bellcore-Cw3', 'Bellcore-Cw4', 'Bellcore-Hold', 'Bellcore-Confirmation', 'Bellcore-Permanent',
  'Bellcore-Reminder', 'Bellcore-None', 'Cisco-Zip', 'Cisco-ZipZip', 'Cisco-BeepBonk',
];

function tones(rule: DialplanRule): string[] {
  return rule.tone === undefined ? [] : rule.tone.split(',').map((t) => t.trim()).filter((t) => t !== '');
}

function templateAttributes(rule: DialplanRule): XmlTree {
  // Without `timeout:` the attribute is left out and the phone's own inter-digit timer applies
  // (usecallmanager dial-template reference; sipcc dialplan.h DIAL_TIMEOUT): `Timeout="0"` would
  // dial a catch-all pattern after the first key.
  const attrs: XmlTree = { '@MATCH': rule.match };
  if (rule.timeout !== undefined) attrs['@Timeout'] = rule.timeout;
  if (rule.user !== undefined) attrs['@User'] = rule.user;
  if (rule.rewrite !== undefined) attrs['@Rewrite'] = rule.rewrite;
  if (rule.line !== undefined) attrs['@Line'] = rule.line;
  if (rule.route !== undefined) attrs['@Route'] = rule.route;
  const named = tones(rule);
  if (named.length > 0) attrs['@Tone'] = named.join(',');
  return attrs;
}

/** The file; with no rules, the empty plan (which also silences the phone's "no dial plan" message). */
export function renderDialplan(rules: readonly DialplanRule[]): string {
  if (rules.length === 0) return '<DIALTEMPLATE>\n</DIALTEMPLATE>\n';
  return xmlText({ DIALTEMPLATE: { TEMPLATE: rules.map(templateAttributes) } }, { declaration: false, openEmptyTags: false });
}

/** A pattern of wildcards only (`*`, `.*`, `..*`): it matches whatever the user starts to dial. */
function isCatchAll(match: string): boolean {
  return match.includes('*') && /^[.*]+$/.test(match);
}

/** Rules the phone accepts but that surprise the user: reported by `ciscophone check` as warnings. */
export function dialplanWarnings(rules: readonly DialplanRule[]): ConfigProblem[] {
  return rules.flatMap((rule, i) =>
    rule.timeout === 0 && isCatchAll(rule.match)
      ? [{ path: `dialplan.rules[${i}].timeout`, message: `"${rule.match}" with timeout 0 dials after the first key; leave timeout out for the phone's default` }]
      : [],
  );
}

/** Everything in `dialplan.rules` the phone would reject, with the config path to fix. */
export function dialplanProblems(rules: readonly DialplanRule[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  rules.forEach((rule, i) => {
    const at = `dialplan.rules[${i}]`;
    if (Buffer.byteLength(rule.match) > TEMPLATE_MAX_BYTES) {
      problems.push({ path: `${at}.match`, message: `pattern is longer than ${TEMPLATE_MAX_BYTES} bytes` });
    }
    if (rule.rewrite !== undefined && Buffer.byteLength(rule.rewrite) > TEMPLATE_MAX_BYTES) {
      problems.push({ path: `${at}.rewrite`, message: `rewrite is longer than ${TEMPLATE_MAX_BYTES} bytes` });
    }
    const named = tones(rule);
    if (named.length > MAX_TONES) problems.push({ path: `${at}.tone`, message: `at most ${MAX_TONES} tones per rule (${named.length} given)` });
    for (const tone of named) {
      if (!TONE_NAMES.includes(tone)) problems.push({ path: `${at}.tone`, message: `unknown tone "${tone}" (known: ${TONE_NAMES.join(', ')})` });
    }
  });
  const size = Buffer.byteLength(renderDialplan(rules));
  if (size >= DIALPLAN_MAX_BYTES) {
    problems.push({ path: 'dialplan.rules', message: `the dial plan is ${size} bytes; phones reject it from ${DIALPLAN_MAX_BYTES} bytes on` });
  }
  return problems;
}
