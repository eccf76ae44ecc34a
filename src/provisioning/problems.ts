/**
 * Provisioning mistakes found in a config before any phone asks: reported by `ciscophone check`
 * and at startup with the rest of the config problems, never silently dropped at render time.
 */
import type { ConfigProblem } from '../config/problems.js';
import type { Config } from '../config/schema.js';
import { getModel } from '../phones/models.js';
import { createAllowList } from '../tftp/index.js';
import { planButtons } from './buttons.js';
import { dialplanProblems } from './dialplan.js';
import { phoneUrls } from './phone-urls.js';

export function provisioningProblems(config: Config): ConfigProblem[] {
  const problems = dialplanProblems(config.dialplan.rules);
  config.phones.forEach((phone, i) => {
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
