import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import { getModel } from '../src/phones/models.js';
import { renderScene } from '../src/render/scene.js';
import { targetFor } from '../src/render/target.js';
import { testApp, phoneHeaders, type TestApp } from './helpers/app.js';
import { checkPhoneXml, injectPath } from './helpers/phone-xml.js';

/** Tuesday 3 June 2025, 14:05:30 in Berlin. */
const NOW = new Date('2025-06-03T12:05:30Z');

const LONG_TITLE = 'Quarterly strategy alignment workshop with the extended leadership team';

const ICS = `BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//ciscophone//idle test//EN
BEGIN:VEVENT
UID:dentist@test
DTSTAMP:20250101T000000Z
DTSTART;TZID=Europe/Berlin:20250603T163000
DTEND;TZID=Europe/Berlin:20250603T170000
SUMMARY:Dentist
LOCATION:Main Street 5
END:VEVENT
BEGIN:VEVENT
UID:workshop@test
DTSTAMP:20250101T000000Z
DTSTART;TZID=Europe/Berlin:20250604T090000
DTEND;TZID=Europe/Berlin:20250604T120000
SUMMARY:${LONG_TITLE}
END:VEVENT
BEGIN:VEVENT
UID:bins@test
DTSTAMP:20250101T000000Z
DTSTART;VALUE=DATE:20250605
DTEND;VALUE=DATE:20250606
SUMMARY:Bins out
END:VEVENT
END:VCALENDAR
`;

const OFFICE = 'SEP001111000001';
const SAME_DISPLAY = 'SEP001111000002';
const BROKEN_PICTURE = 'SEP001111000003';

describe('idle screen with a calendar', () => {
  let t: TestApp;

  before(async () => {
    t = await testApp(
      `pbx: { host: 192.168.1.1 }
defaults: { timeZone: Europe/Berlin, language: en }
calendar:
  sources:
    - { type: ics, name: Test, path: calendar.ics }
phones:
  - { mac: "001111000001", model: "7941", lines: [ { number: "600" } ] }
  - { mac: "001111000002", model: "7961", lines: [ { number: "600" } ] }
  - { mac: "001111000003", model: "7941", lines: [ { number: "600" } ], idle: { widgets: [ { type: picture, path: broken.png } ] } }
`,
      { clock: () => NOW },
    );
    writeFileSync(path.join(t.dir, 'calendar.ics'), ICS);
    writeFileSync(path.join(t.dir, 'broken.png'), 'not a picture');
    await t.ctx.calendar.refresh();
  });
  after(() => t.close());

  it("shows the calendar's next events, the long title shortened inside the screen", async () => {
    const res = await t.app.inject(`/idle.png?name=${OFFICE}`);
    const caps = getModel('7941');
    const target = targetFor(caps.display, caps.png, caps.cipPane);
    const expected = await renderScene(
      {
        widgets: [
          { type: 'clock', time: '2:05', period: 'PM' },
          { type: 'date', text: 'Tuesday, June 3, 2025' },
          {
            type: 'events',
            rows: [
              { when: '4:30 PM', title: 'Dentist · Main Street 5' },
              { when: 'Wed 9:00 AM', title: LONG_TITLE },
              { when: 'Thu', title: 'Bins out' },
            ],
            empty: 'No upcoming events',
          },
        ],
      },
      target,
    );
    assert.ok(res.rawPayload.equals(expected.png), 'the picture is the default layout with the three events');

    // Nothing is drawn in the right margin: the long title ends (in an ellipsis) inside the screen.
    const { data, info } = await sharp(res.rawPayload).greyscale().raw().toBuffer({ resolveWithObject: true });
    for (let y = 0; y < info.height; y++) {
      for (let x = info.width - 8; x < info.width; x++) assert.equal(data[y * info.width + x], 255, `pixel ${x},${y} of the margin`);
    }
  });

  it('a phone with the same display gets the same bytes from the cache', async () => {
    const first = (await t.app.inject(`/idle.png?name=${OFFICE}`)).rawPayload;
    const before = t.ctx.idle.stats.snapshot();
    const other = (await t.app.inject(`/idle.png?name=${SAME_DISPLAY}`)).rawPayload;
    assert.ok(other.equals(first));
    assert.equal(t.ctx.idle.stats.snapshot().renders, before.renders, 'not rendered again');
    assert.equal(t.ctx.idle.stats.snapshot().hits, before.hits + 1);
  });

  it('a layout that falls back to the default one still shows the events', async () => {
    const fallback = (await t.app.inject(`/idle.png?name=${BROKEN_PICTURE}`)).rawPayload;
    const office = (await t.app.inject(`/idle.png?name=${OFFICE}`)).rawPayload;
    assert.ok(fallback.equals(office));
  });

  it('a phone missing from the config gets a picture URL that names its model', async () => {
    for (const [query, model, size] of [
      ['', '7970', [298, 168]],
      ['?name=SEP0011110000FF', '7945', [298, 156]],
    ] as const) {
      const res = await t.app.inject({ url: `/idle${query}`, headers: phoneHeaders(model) });
      const page = checkPhoneXml(res.rawPayload, res.headers['content-type']);
      assert.equal(page.kind, 'ImageFile');
      assert.match(page.url!, new RegExp(`[?&]model=${model}&lang=en$`));
      // The picture is right even when its request carries no phone headers.
      const png = await sharp((await t.app.inject(injectPath(page.url!))).rawPayload).metadata();
      assert.deepEqual([png.width, png.height], size);
    }
  });
});
