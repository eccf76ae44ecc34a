import { defineMessages } from '../i18n/messages.js';

/** Words of the idle screen. */
export const idleText = defineMessages({
  en: {
    now: 'Now',
    today: 'Today',
    tomorrow: 'Tomorrow',
    noEvents: 'No upcoming events',
  },
  de: {
    now: 'Jetzt',
    today: 'Heute',
    tomorrow: 'Morgen',
    noEvents: 'Keine anstehenden Termine',
  },
});
