import { startServer } from './test/helpers/tftp-fixture.js';
import { RawClient } from './test/helpers/tftp-raw-client.js';
const srv = await startServer('/tmp/tftpsmoke/root', { initialTimeoutMs: 100, retries: 3, logger: { info: (o, m) => console.log(m, JSON.stringify(o)), warn: (o, m) => console.log(m, JSON.stringify(o)), error: (o, m) => console.log(m, JSON.stringify(o)), debug: (o, m) => console.log(m, JSON.stringify(o)) } });
const c = await RawClient.open();
const r = await c.fetch(srv.port, 'big.bin', { options: { BlkSize: '65464', tsize: '0', windowsize: '64', timeout: '3', colour: 'blue' } });
console.log('got', r.data.length, srv.server.stats());
await new Promise(r => setTimeout(r, 200));
console.log(srv.server.stats(), (srv.server as any).inFlight, (srv.server as any).perClient);
c.close(); await srv.stop();
