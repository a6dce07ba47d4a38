// What a DHCP lease means for the interface: one address with the lease's
// lifetime, routes (RFC 3442 classless routes replace the router option when
// present), and the MTU. Pure.

import type { AddressSpec, RouteSpec } from '../../sys/net-types.ts';
import { FOREVER } from '../../sys/net-types.ts';
import { INFINITE, type Lease } from './dhcp-machine.ts';
import { ipToInt, networkOf } from './ipv4.ts';

export interface LeasePlan {
  address: AddressSpec;
  routes: RouteSpec[];
  mtu?: number;
}

const inSubnet = (ip: string, net: string, prefix: number): boolean => networkOf(ip, prefix) === networkOf(net, prefix);

export function planLease(index: number, lease: Lease, metric: number): LeasePlan {
  const lifetime = lease.leaseTime === INFINITE ? FOREVER : lease.leaseTime;
  const address: AddressSpec = { index, address: lease.address, prefix: lease.prefix, validLft: lifetime, preferredLft: lifetime };
  const routes: RouteSpec[] = [];
  const via = (to: string, prefix: number, gateway: string): RouteSpec => ({
    dst: to, prefix, gateway, oif: index, metric, protocol: 'dhcp', src: lease.address,
    // A gateway outside our subnet (common with /32 leases) is still reachable on this link.
    onlink: !inSubnet(gateway, lease.address, lease.prefix),
  });
  if (lease.classlessRoutes && lease.classlessRoutes.length > 0) {
    // RFC 3442: when option 121 is present the client ignores the router option.
    for (const r of lease.classlessRoutes) {
      if (ipToInt(r.via) === 0) routes.push({ dst: r.to, prefix: r.prefix, oif: index, metric, protocol: 'dhcp', src: lease.address });
      else routes.push(via(r.to, r.prefix, r.via));
    }
  } else if (lease.routers[0]) {
    routes.push(via('0.0.0.0', 0, lease.routers[0]));
  }
  const plan: LeasePlan = { address, routes };
  if (lease.mtu !== undefined) plan.mtu = lease.mtu;
  return plan;
}
