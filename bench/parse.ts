/**
 * What reading files as their authors meant costs: parsing a generated 10,000-card .vcf and a
 * 2,000-event feed through the normalisers (parseVCards, parseEvents), beside ical.js alone on the
 * same text in the same run; and the feed with one unreadable value, which is read a second time
 * property by property.
 * Run: node --import tsx bench/parse.ts
 */
import { performance } from 'node:perf_hooks';
import ICAL from 'ical.js';
import { parseEvents } from '../src/calendar/expand.js';
import { parseVCards } from '../src/contacts/vcard.js';
import { splitVCards } from '../src/contacts/vcard-normalise.js';
import { machineLine } from './lib/load.js';

const ROUNDS = 5;

function cards(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(`BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna Berg${i}\r\nN:Berg${i};Anna;;;\r\nORG:Firma ${i % 300}\r\nitem1.TEL;TYPE=CELL:+49 17${i % 10} ${String(i).padStart(7, '0')}\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\nTEL;TYPE=WORK:+49 89 ${String(i * 7).padStart(7, '0')}\r\nEND:VCARD\r\n`);
  }
  return out.join('');
}

function feed(count: number, broken: boolean): string {
  const out = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//bench//EN'];
  for (let i = 0; i < count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const rule = i % 10 === 0 ? ['RRULE:FREQ=WEEKLY;BYDAY=MO,WE'] : i % 10 === 1 ? ['RRULE:FREQ=DAILY;COUNT=30'] : [];
    out.push('BEGIN:VEVENT', `UID:${i}@bench`, 'DTSTAMP:20260101T000000Z', `DTSTART;TZID=Europe/Berlin:202610${day}T090000`, 'DURATION:PT1H', ...rule, `SUMMARY:Event ${i}`, `DESCRIPTION:Dial-in +49 30 1234567 PIN ${i}`, 'END:VEVENT');
  }
  if (broken) out.splice(10, 0, 'RRULE:FREQ=FORTNIGHTLY');
  out.push('END:VCALENDAR', '');
  return out.join('\r\n');
}

function median(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
}

const vcf = cards(10_000);
const ics = feed(2_000, false);
const icsBroken = feed(2_000, true);
const rows: [string, number, number][] = [
  [
    `10,000 cards (${Math.round(vcf.length / 1024)} kB)`,
    median(() => {
      for (const { body } of splitVCards(vcf).cards) new ICAL.Component(ICAL.parse(`BEGIN:VCARD\r\n${body}\r\nEND:VCARD\r\n`) as unknown[]);
    }),
    median(() => parseVCards(vcf, 'bench.vcf')),
  ],
  [
    `2,000 events (${Math.round(ics.length / 1024)} kB)`,
    median(() => {
      const cal = new ICAL.Component(ICAL.parse(ics) as unknown[]);
      for (const vevent of cal.getAllSubcomponents('vevent')) new ICAL.Event(vevent);
    }),
    median(() => parseEvents(ics, 'Bench', 'bench', 'bench.ics')),
  ],
  [
    '2,000 events, one unusable RRULE (read again property by property)',
    NaN,
    median(() => parseEvents(icsBroken, 'Bench', 'bench', 'bench.ics')),
  ],
];

console.log(machineLine());
console.log(`Median of ${ROUNDS} rounds, one process.\n`);
console.log('| text | ical.js alone ms | through the normaliser ms |');
console.log('|---|---|---|');
for (const [name, base, ours] of rows) console.log(`| ${name} | ${Number.isNaN(base) ? '(refuses the whole text)' : base.toFixed(0)} | ${ours.toFixed(0)} |`);
