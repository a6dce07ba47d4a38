// NetSys on the native addon. Arguments are checked here, before the native
// call; "this errno means success" is decided here, one errno at a time.
import { isIP } from 'node:net';
import { loadAddon } from './addon.ts';
import {
  FOREVER, type AddressSpec, type Closable, type LinkEvent, type NetAddress, type NetLink, type NetRoute,
  type NetSys, type PacketSocket, type PacketType, type RouteProtocol, type RouteSpec,
} from './net-types.ts';

/** The addon's network exports (native/src/netlink.cc, packet.cc, clock.cc). */
export interface NetAddon {
  netLinkList(): NetLink[];
  netLinkSet(index: number, up: boolean | null, mtu: number | null): void;
  netAddrList(): NetAddress[];
  netAddrAdd(index: number, address: string, prefix: number, validLft: number, preferredLft: number, replace: boolean): void;
  netAddrDel(index: number, address: string, prefix: number): void;
  netRouteList(): NetRoute[];
  netRouteAdd(dst: string, prefix: number, gateway: string | null, oif: number, metric: number, onlink: boolean,
    protocol: number, src: string | null, replace: boolean): void;
  netRouteDel(dst: string, prefix: number, gateway: string | null, oif: number, metric: number): void;
  netWatchLinks(listener: (kind: 'new' | 'del' | 'error', arg: NetLink | string) => void): Closable;
  packetOpen(index: number, protocol: number, listener: (frame: Buffer | null, arg: number | string) => void): {
    send(payload: Uint8Array, mac: Uint8Array): void; close(): void;
  };
  clockSettime(sec: number, nsec: number): void;
  adjtime(usec: number): number;
}

const PROTOCOLS: Record<RouteProtocol, number> = { boot: 3, static: 4, dhcp: 16 };
const PKTTYPES: readonly PacketType[] = ['host', 'broadcast', 'multicast', 'otherhost', 'outgoing'];

function check(ok: boolean, what: string): void {
  if (!ok) throw new TypeError(what);
}

const isIndex = (n: number): boolean => Number.isInteger(n) && n > 0 && n <= 0x7fffffff;
const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffffffff;

function checkPrefix(address: string, prefix: number, what: string): void {
  const family = isIP(address);
  check(family !== 0, `${what}: not an IP address: ${JSON.stringify(address)}`);
  check(Number.isInteger(prefix) && prefix >= 0 && prefix <= (family === 4 ? 32 : 128), `${what}: bad prefix length ${prefix}`);
}

export function macBytes(mac: string): Uint8Array {
  const parts = mac.split(':');
  check(parts.length === 6 && parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p)), `not a MAC address: ${JSON.stringify(mac)}`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

const errnoCode = (err: unknown): string | undefined => (err as { code?: string } | null)?.code;

function checkRoute(r: RouteSpec): void {
  checkPrefix(r.dst, r.prefix, 'route');
  if (r.gateway !== undefined) check(isIP(r.gateway) === isIP(r.dst), `route: gateway ${r.gateway} is not the family of ${r.dst}`);
  check(isIndex(r.oif), `route: bad interface index ${r.oif}`);
  if (r.metric !== undefined) check(isU32(r.metric), `route: bad metric ${r.metric}`);
  if (r.src !== undefined) check(isIP(r.src) === isIP(r.dst), `route: bad source ${r.src}`);
}

export function createNetSys(addon: NetAddon = loadAddon() as unknown as NetAddon): NetSys {
  return {
    links: () => addon.netLinkList(),
    setLink(index, change) {
      check(isIndex(index), `setLink: bad interface index ${index}`);
      if (change.mtu !== undefined) check(Number.isInteger(change.mtu) && change.mtu >= 68 && change.mtu <= 65535, `setLink: bad mtu ${change.mtu}`);
      addon.netLinkSet(index, change.up ?? null, change.mtu ?? null);
    },
    addresses: () => addon.netAddrList(),
    addAddress(a: AddressSpec) {
      check(isIndex(a.index), `addAddress: bad interface index ${a.index}`);
      checkPrefix(a.address, a.prefix, 'addAddress');
      const valid = a.validLft ?? FOREVER;
      const preferred = a.preferredLft ?? valid;
      check(isU32(valid) && isU32(preferred) && preferred <= valid, `addAddress: bad lifetimes ${valid}/${preferred}`);
      // NLM_F_REPLACE: re-adding refreshes the lifetimes instead of failing with EEXIST.
      addon.netAddrAdd(a.index, a.address, a.prefix, valid, preferred, true);
    },
    removeAddress(a: AddressSpec) {
      check(isIndex(a.index), `removeAddress: bad interface index ${a.index}`);
      checkPrefix(a.address, a.prefix, 'removeAddress');
      try {
        addon.netAddrDel(a.index, a.address, a.prefix);
        return true;
      } catch (err) {
        // The kernel already dropped it (lifetime ran out, link deleted).
        if (errnoCode(err) === 'EADDRNOTAVAIL' || errnoCode(err) === 'ENODEV') return false;
        throw err;
      }
    },
    routes: () => addon.netRouteList(),
    addRoute(r: RouteSpec) {
      checkRoute(r);
      try {
        addon.netRouteAdd(r.dst, r.prefix, r.gateway ?? null, r.oif, r.metric ?? 0, r.onlink ?? false,
          PROTOCOLS[r.protocol ?? 'static'], r.src ?? null, false);
        return 'added';
      } catch (err) {
        if (errnoCode(err) === 'EEXIST') return 'exists';
        throw err;
      }
    },
    removeRoute(r: RouteSpec) {
      checkRoute(r);
      try {
        addon.netRouteDel(r.dst, r.prefix, r.gateway ?? null, r.oif, r.metric ?? 0);
        return true;
      } catch (err) {
        if (errnoCode(err) === 'ESRCH') return false;
        throw err;
      }
    },
    watchLinks(listener: (event: LinkEvent) => void) {
      return addon.netWatchLinks((kind, arg) => {
        if (kind === 'error') listener({ type: 'error', code: arg as string });
        else listener({ type: kind, link: arg as NetLink });
      });
    },
    openPacket(index, ethertype, onFrame, onError): PacketSocket {
      check(isIndex(index), `openPacket: bad interface index ${index}`);
      check(Number.isInteger(ethertype) && ethertype > 0 && ethertype <= 0xffff, `openPacket: bad ethertype ${ethertype}`);
      const sock = addon.packetOpen(index, ethertype, (frame, arg) => {
        if (frame === null) onError?.(arg as string);
        else onFrame(frame, PKTTYPES[arg as number] ?? 'other');
      });
      return {
        send: (payload, destMac) => sock.send(payload, macBytes(destMac)),
        close: () => sock.close(),
      };
    },
    setClock(epochMs) {
      check(Number.isFinite(epochMs) && epochMs > 0, `setClock: bad time ${epochMs}`);
      const sec = Math.floor(epochMs / 1000);
      addon.clockSettime(sec, Math.min(999_999_999, Math.round((epochMs - sec * 1000) * 1e6)));
    },
    slewClock(deltaMs) {
      check(Number.isFinite(deltaMs), `slewClock: bad delta ${deltaMs}`);
      addon.adjtime(Math.round(deltaMs * 1000));
    },
  };
}
