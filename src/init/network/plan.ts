// Which links get what: pure decisions over the link list and k3os.network.

import type { InterfaceConfig, NetworkConfig } from '../../config/schema.ts';
import type { AddressSpec, NetAddress, NetLink, NetRoute, RouteSpec } from '../../sys/net-types.ts';
import { parseCidr } from '../../config/cidr.ts';
import { ipToInt, isIPv4, networkOf } from './ipv4.ts';

export const ARPHRD_ETHER = 1;
export const DEFAULT_ONLINE_TIMEOUT_S = 30;

export interface LinkPlan {
  dhcp: boolean;
  static?: InterfaceConfig;
}

/**
 * Configured interfaces get what their config says (DHCP unless addresses are
 * given and dhcp is not set). Every other wired link (Ethernet, no rtnl kind:
 * a physical NIC) gets DHCP. `autoKinds` admits virtual kinds too (tests use veth).
 */
export function planLink(link: NetLink, network: NetworkConfig | undefined, autoKinds: readonly string[] = []): LinkPlan | undefined {
  if (link.loopback) return undefined;
  const cfg = network?.interfaces?.[link.name];
  if (cfg) {
    const hasStatic = (cfg.addresses?.length ?? 0) > 0;
    const plan: LinkPlan = { dhcp: cfg.dhcp ?? !hasStatic };
    if (hasStatic || cfg.routes || cfg.gateway || cfg.gateway6 || cfg.mtu || cfg.dns) plan.static = cfg;
    return plan;
  }
  if (link.type !== ARPHRD_ETHER) return undefined;
  if (link.kind !== undefined && !autoKinds.includes(link.kind)) return undefined;
  return { dhcp: true };
}

export interface StaticPlan { mtu?: number; addresses: AddressSpec[]; routes: RouteSpec[] }

export function planStatic(index: number, cfg: InterfaceConfig): StaticPlan {
  const addresses: AddressSpec[] = (cfg.addresses ?? []).flatMap((text) => {
    const c = parseCidr(text);
    return c ? [{ index, address: c.address, prefix: c.prefix }] : [];
  });
  const v4 = addresses.filter((a) => isIPv4(a.address));
  const onlink = (gw: string): boolean =>
    isIPv4(gw) && !v4.some((a) => networkOf(gw, a.prefix) === networkOf(a.address, a.prefix));
  const route = (dst: string, prefix: number, gateway: string, metric?: number): RouteSpec => {
    const r: RouteSpec = { dst, prefix, gateway, oif: index, protocol: 'static', onlink: onlink(gateway) };
    if (metric !== undefined) r.metric = metric;
    return r;
  };
  const routes: RouteSpec[] = [];
  if (cfg.gateway) routes.push(route('0.0.0.0', 0, cfg.gateway));
  if (cfg.gateway6) routes.push(route('::', 0, cfg.gateway6));
  for (const r of cfg.routes ?? []) {
    const v6 = !isIPv4(r.via);
    if (r.to === 'default') { routes.push(route(v6 ? '::' : '0.0.0.0', 0, r.via, r.metric)); continue; }
    const c = parseCidr(r.to);
    if (c) routes.push(route(c.family === 4 ? networkOf(c.address, c.prefix) : c.address, c.prefix, r.via, r.metric));
  }
  const plan: StaticPlan = { addresses, routes };
  if (cfg.mtu !== undefined) plan.mtu = cfg.mtu;
  return plan;
}

const MAIN_TABLE = 254;

/** The default route the node's traffic takes: lowest metric, IPv4 first. */
export function defaultRoute(routes: readonly NetRoute[]): NetRoute | undefined {
  return routes
    .filter((r) => r.table === MAIN_TABLE && r.prefix === 0 && r.type === 1)
    .sort((a, b) => a.family - b.family || (a.metric ?? 0) - (b.metric ?? 0))[0];
}

/** kubelet's --node-ip: the default route's source, else the first global address on its interface. */
export function nodeIp(routes: readonly NetRoute[], addresses: readonly NetAddress[]): string | undefined {
  const d = defaultRoute(routes);
  if (!d) return undefined;
  if (d.src) return d.src;
  const global = addresses.filter((a) => a.index === d.oif && a.family === d.family && a.scope === 0);
  return global.sort((a, b) => ipSortKey(a) - ipSortKey(b))[0]?.address;
}

const ipSortKey = (a: NetAddress): number => (a.family === 4 ? ipToInt(a.address) : 0);
