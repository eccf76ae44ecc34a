/**
 * Provisioning mistakes found in a config before any phone asks: reported by `ciscophone check`
 * and at startup with the rest of the config problems, never silently dropped at render time.
 */
import type { ConfigProblem } from '../config/problems.js';
import type { Config, PhoneSettings } from '../config/schema.js';
import { familyOf } from '../phones/families.js';
import { getModel } from '../phones/models.js';
import { createAllowList } from '../tftp/index.js';
import { planButtons } from './buttons.js';
import { dialplanProblems, dialplanWarnings } from './dialplan.js';
import { phoneUrls } from './phone-urls.js';
import { dateTemplateProblem } from './locale.js';
import { flatValueProblem } from './sip-79x0.js';
import { ciscoZoneChoice, flatZoneChoice } from './time-zones.js';

type PhoneConfig = Config['phones'][number];

/** The values of one phone that go into its SIP<MAC>.cnf, with their paths and whether they must travel exactly. */
function flatValues(phone: PhoneSettings & { label?: string; lines?: PhoneConfig['lines'] }, at: string): Array<{ path: string; text: string | undefined; exact: boolean }> {
  return [
    { path: `${at}.label`, text: phone.label, exact: false },
    { path: `${at}.messagesNumber`, text: phone.messagesNumber, exact: false },
    { path: `${at}.loadInformation`, text: phone.loadInformation, exact: true },
    ...(phone.ntp ?? []).slice(0, 1).map((text) => ({ path: `${at}.ntp[0]`, text, exact: true })),
    ...(phone.lines ?? []).flatMap((line, j) => [
      { path: `${at}.lines[${j}].number`, text: line.number, exact: true },
      { path: `${at}.lines[${j}].authName`, text: line.authName, exact: true },
      { path: `${at}.lines[${j}].password`, text: line.password, exact: true },
      { path: `${at}.lines[${j}].displayName`, text: line.displayName, exact: false },
      { path: `${at}.lines[${j}].label`, text: line.label, exact: false },
      { path: `${at}.lines[${j}].messagesNumber`, text: line.messagesNumber, exact: false },
    ]),
  ];
}

/** What one phone's own settings would break on the phone itself. */
function phoneProblems(phone: PhoneConfig, at: string): ConfigProblem[] {
  const problems: ConfigProblem[] = dateTemplateProblems(phone, at);
  const family = familyOf(getModel(phone.model));
  // A phone registers the lines of its line keys (usecallmanager line-keys): with none it has nothing to register.
  if (phone.lines.length === 0) problems.push({ path: `${at}.lines`, message: `a ${phone.model} needs at least one line` });
  if (phone.label !== undefined) {
    if (!family.label.spaces && /\s/.test(phone.label)) problems.push({ path: `${at}.label`, message: `a ${phone.model} does not show a label with spaces` });
    const { max } = family.label;
    if ([...phone.label].length > max) problems.push({ path: `${at}.label`, message: `a ${phone.model} shows at most ${max} characters` });
  }
  if (family.configFormat === 'flat') problems.push(...flatProblems(phone, at));
  return problems;
}

function dateTemplateProblems(settings: PhoneSettings, at: string): ConfigProblem[] {
  const message = settings.dateTemplate === undefined ? undefined : dateTemplateProblem(settings.dateTemplate);
  return message ? [{ path: `${at}.dateTemplate`, message }] : [];
}

function flatProblems(settings: Parameters<typeof flatValues>[0], at: string): ConfigProblem[] {
  return flatValues(settings, at).flatMap(({ path, text, exact }) => {
    const message = text === undefined ? undefined : flatValueProblem(text, exact);
    return message ? [{ path, message }] : [];
  });
}

export function provisioningProblems(config: Config): ConfigProblem[] {
  const problems = dialplanProblems(config.dialplan.rules);
  problems.push(...dateTemplateProblems(config.defaults, 'defaults'));
  // SIPDefault.cnf carries `defaults:` to every 7940/7960.
  if (config.phones.some((p) => familyOf(getModel(p.model)).configFormat === 'flat')) problems.push(...flatProblems(config.defaults, 'defaults'));
  config.phones.forEach((phone, i) => {
    problems.push(...phoneProblems(phone, `phones[${i}]`));
    const { dropped } = planButtons(phone.lines, phone.keys, getModel(phone.model).lineButtons);
    for (const message of dropped) problems.push({ path: `phones[${i}]`, message: `${message} (model ${phone.model})` });
  });
  (config.server.tftp.allow ?? []).forEach((entry, i) => {
    try {
      createAllowList([entry]);
    } catch (err) {
      problems.push({ path: `server.tftp.allow[${i}]`, message: (err as Error).message });
    }
  });
  if (config.server.publicUrl) {
    try {
      phoneUrls(config.server.publicUrl, 'SEP000000000000');
    } catch (err) {
      problems.push({ path: 'server.publicUrl', message: (err as Error).message });
    }
  }
  return problems;
}

/** What the phones accept but would surprise the owner: `ciscophone check` prints these as warnings. */
export function provisioningWarnings(config: Config): ConfigProblem[] {
  return [...dialplanWarnings(config.dialplan.rules), ...timeZoneWarnings(config)];
}

/** Phones whose clock no setting they know can keep right all year: the zone, and the nearest setting they get. */
function timeZoneWarnings(config: Config): ConfigProblem[] {
  const seen = new Set<string>();
  return config.phones.flatMap((phone, i) => {
    const own = phone.timeZone !== undefined;
    const zone = phone.timeZone ?? config.defaults.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    const path = own ? `phones[${i}].timeZone` : config.defaults.timeZone !== undefined ? 'defaults.timeZone' : 'the server\'s time zone';
    const family = familyOf(getModel(phone.model));
    const problem = (family.timeZones === 'flat' ? flatZoneChoice(zone) : ciscoZoneChoice(zone)).problem;
    const key = `${path}\u0000${family.id}`;
    if (!problem || seen.has(key)) return [];
    seen.add(key);
    return [{ path, message: `${family.timeZones === 'flat' ? family.name : `${phone.model} and its family`}: ${problem}` }];
  });
}
