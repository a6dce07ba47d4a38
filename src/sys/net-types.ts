// The network face of the kernel: rtnetlink, packet sockets and the wall
// clock. src/init/network depends only on this interface, so the DHCP client
// and the network manager run against a recording fake in unit tests and the
// addon (net.ts) in ns tests. Failing calls throw the node:fs error shape.

export type OperState = 'unknown' | 'notpresent' | 'down' | 'lowerlayerdown' | 'testing' | 'dormant' | 'up';

export interface NetLink {
  index: number;
  name: string;
  /** ARPHRD_* (1 = Ethernet, 772 = loopback). */
  type: number;
  flags: number;
  up: boolean;
  loopback: boolean;
  /** IFLA_CARRIER (IFF_LOWER_UP when the kernel does not say). */
  carrier: boolean;
  operstate: OperState;
  mac?: string;
  mtu?: number;
  /** rtnl link kind (veth, bridge, vlan...); absent for physical NICs. */
  kind?: string;
  master?: number;
}

export interface NetAddress {
  index: number;
  family: 4 | 6;
  address: string;
  prefix: number;
  scope: number;
  flags: number;
  /** Seconds left; 0xffffffff is forever. */
  validLft?: number;
  preferredLft?: number;
}

export interface NetRoute {
  family: 4 | 6;
  /** "0.0.0.0" / "::" with prefix 0 for a default route. */
  dst: string;
  prefix: number;
  gateway?: string;
  oif?: number;
  metric?: number;
  src?: string;
  table: number;
  protocol: number;
  scope: number;
  type: number;
  onlink: boolean;
}

export const FOREVER = 0xffffffff;

export interface AddressSpec {
  index: number;
  address: string;
  prefix: number;
  /** Seconds; FOREVER when omitted. The kernel removes the address when it runs out. */
  validLft?: number;
  preferredLft?: number;
}

export type RouteProtocol = 'boot' | 'static' | 'dhcp';

export interface RouteSpec {
  /** Destination network; "0.0.0.0" or "::" with prefix 0 is the default route. */
  dst: string;
  prefix: number;
  gateway?: string;
  oif: number;
  metric?: number;
  /** RTNH_F_ONLINK: the gateway is reachable on the link even outside its subnets. */
  onlink?: boolean;
  protocol?: RouteProtocol;
  /** Preferred source address (RTA_PREFSRC). */
  src?: string;
}

export type LinkEvent =
  | { type: 'new'; link: NetLink }
  | { type: 'del'; link: NetLink }
  /** Events were lost (ENOBUFS) or the watch failed: re-list the links. */
  | { type: 'error'; code: string };

export interface Closable { close(): void }

export interface PacketSocket extends Closable {
  /** A network-layer packet to a link-layer address (colon MAC); never blocks. */
  send(payload: Uint8Array, destMac: string): void;
}

/** sll_pkttype of a received frame. */
export type PacketType = 'host' | 'broadcast' | 'multicast' | 'otherhost' | 'outgoing' | 'other';

export interface NetSys {
  links(): NetLink[];
  setLink(index: number, change: { up?: boolean; mtu?: number }): void;
  addresses(): NetAddress[];
  /** Adds or refreshes (lifetimes) an address: adding what exists is success. */
  addAddress(spec: AddressSpec): void;
  /** Returns false when the address was already gone. */
  removeAddress(spec: AddressSpec): boolean;
  routes(): NetRoute[];
  /** Returns 'exists' for EEXIST: adding what exists is success. */
  addRoute(spec: RouteSpec): 'added' | 'exists';
  /** Returns false when no such route existed (ESRCH). */
  removeRoute(spec: RouteSpec): boolean;
  watchLinks(listener: (event: LinkEvent) => void): Closable;
  /** AF_PACKET/SOCK_DGRAM on one interface for one ethertype (0x0800 = IPv4). */
  openPacket(
    index: number,
    ethertype: number,
    onFrame: (frame: Uint8Array, type: PacketType) => void,
    onError?: (code: string) => void,
  ): PacketSocket;
  /** Steps the wall clock (clock_settime). */
  setClock(epochMs: number): void;
  /** Slews the wall clock by deltaMs (adjtime). */
  slewClock(deltaMs: number): void;
}
