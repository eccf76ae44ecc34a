import assert from 'node:assert/strict';
import type { NetworkInterfaceInfo } from 'node:os';
import { describe, it } from 'node:test';
import { lanIPv4 } from '../src/config/lan-address.js';

function v4(address: string, internal = false): NetworkInterfaceInfo {
  return { address, family: 'IPv4', internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` };
}

describe('the LAN address (default publicUrl, init\'s suggestion)', () => {
  it('skips container bridges and VPN tunnels listed before the LAN interface', () => {
    assert.equal(lanIPv4({ lo: [v4('127.0.0.1', true)], docker0: [v4('172.17.0.1')], wg0: [v4('10.8.0.2')], eth0: [v4('192.168.178.20')] }), '192.168.178.20');
  });

  it('prefers a private address to a public one', () => {
    assert.equal(lanIPv4({ eth0: [v4('203.0.113.5')], eth1: [v4('10.0.0.7')] }), '10.0.0.7');
  });

  it('falls back to any LAN address, then any address, then loopback', () => {
    assert.equal(lanIPv4({ eth0: [v4('192.0.2.2')] }), '192.0.2.2');
    assert.equal(lanIPv4({ docker0: [v4('172.17.0.1')] }), '172.17.0.1');
    assert.equal(lanIPv4({ lo: [v4('127.0.0.1', true)] }), '127.0.0.1');
  });
});
