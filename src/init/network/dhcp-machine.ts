// The DHCPv4 client state machine (RFC 2131 section 4.4, figure 5), pure:
// step(machine, event) -> { machine, actions }. Time comes in with each event
// (monotonic ms); timers go out as actions; randomness is injected. The edge
// (dhcp-client.ts) performs the actions and feeds replies and timer expiries back.

import {
  BOOTREQUEST, FLAG_BROADCAST, MessageType, Opt, ipOption, macToBytes, readReplyOptions,
  type DhcpMessage, type MessageTypeName, type ReplyOptions,
} from './dhcp-codec.ts';
import { maskToPrefix } from './ipv4.ts';

export type DhcpState =
  | 'init' | 'init-reboot' | 'selecting' | 'requesting' | 'rebooting' | 'bound' | 'renewing' | 'rebinding' | 'stopped';

/** What an ACK granted: its options as the client acts on them, and the address and times. */
export interface Lease extends Pick<ReplyOptions, 'routers' | 'dns' | 'ntp' | 'domain' | 'hostname' | 'mtu' | 'classlessRoutes'> {
  address: string;
  prefix: number;
  serverId: string;
  /** Seconds; 0xffffffff is infinite. */
  leaseTime: number;
  t1: number;
  t2: number;
}

export const INFINITE = 0xffffffff;

export interface MachineOptions {
  mac: string;
  hostname?: string;
  /** [0, 1): xids and retransmission jitter. */
  random: () => number;
  /** First retransmission delay in SELECTING/REQUESTING; doubles up to 64 s (RFC 2131 4.1). */
  retransmitBaseMs?: number;
  /** How long INIT-REBOOT waits before falling back to DISCOVER. A server that lost the lease stays silent. */
  rebootTimeoutMs?: number;
  /** Lower bound between RENEWING/REBINDING retransmissions (RFC 2131 4.4.5 says 60 s). */
  minRenewRetryMs?: number;
}

export type TimerName = 'retransmit' | 't1' | 't2' | 'expiry';

export type DhcpEvent =
  | { type: 'start'; now: number; lease?: Lease }
  | { type: 'reply'; now: number; message: DhcpMessage }
  | { type: 'timer'; now: number; timer: TimerName }
  | { type: 'linkDown'; now: number }
  | { type: 'linkUp'; now: number }
  | { type: 'stop'; now: number; release: boolean };

export type DhcpAction =
  | { type: 'send'; message: DhcpMessage; to: 'broadcast' | { unicast: string } }
  | { type: 'setTimer'; timer: TimerName; at: number }
  | { type: 'cancelTimer'; timer: TimerName }
  | { type: 'configure'; lease: Lease; previous?: Lease }
  | { type: 'deconfigure'; lease: Lease; reason: string }
  | { type: 'drop'; reason: string }
  | { type: 'state'; from: DhcpState; to: DhcpState };

export interface Machine {
  readonly opts: MachineOptions;
  state: DhcpState;
  xid: number;
  attempt: number;
  /** Start of the current exchange, for the secs field. */
  since: number;
  offered?: { address: string; serverId: string };
  lease?: Lease;
  boundAt?: number;
  /** The lease's address is on the interface (a lease read from disk is not, yet). */
  configured: boolean;
  linkUp: boolean;
}

export interface Step { machine: Machine; actions: DhcpAction[] }

const ALL_TIMERS: readonly TimerName[] = ['retransmit', 't1', 't2', 'expiry'];
const PARAMS = [Opt.subnetMask, Opt.router, Opt.dns, Opt.hostname, Opt.domain, Opt.mtu, Opt.broadcast,
  Opt.ntp, Opt.leaseTime, Opt.serverId, Opt.t1, Opt.t2, Opt.classlessRoutes];

export function createMachine(opts: MachineOptions): Machine {
  macToBytes(opts.mac);
  return { opts, state: 'init', xid: 0, attempt: 0, since: 0, configured: false, linkUp: true };
}

/** Which receive path the edge must keep open in each state. */
export function listenMode(state: DhcpState): 'raw' | 'udp' | 'none' {
  switch (state) {
    case 'init': case 'init-reboot': case 'selecting': case 'requesting': case 'rebooting': case 'rebinding':
      return 'raw';
    case 'renewing':
      return 'udp';
    case 'bound': case 'stopped':
      return 'none';
  }
}

function newXid(m: Machine): number {
  return Math.floor(m.opts.random() * 0x100000000) >>> 0;
}

function retransmitDelay(m: Machine): number {
  const base = m.opts.retransmitBaseMs ?? 4000;
  const d = Math.min(base * 2 ** m.attempt, 64000);
  // RFC 2131 4.1: randomise by +/- 1 s; scaled down with the base so short test bases stay short.
  const jitter = Math.min(1000, base / 4);
  return Math.max(1, Math.round(d + (m.opts.random() * 2 - 1) * jitter));
}

function message(m: Machine, type: MessageTypeName, now: number, extra: {
  ciaddr?: string; requestedIp?: string; serverId?: string; broadcast: boolean;
}): DhcpMessage {
  const options = new Map<number, Uint8Array>();
  options.set(Opt.messageType, Uint8Array.of(MessageType[type]));
  options.set(Opt.clientId, Uint8Array.of(1, ...macToBytes(m.opts.mac)));
  if (extra.requestedIp) options.set(Opt.requestedIp, ipOption(extra.requestedIp));
  if (extra.serverId) options.set(Opt.serverId, ipOption(extra.serverId));
  if (type !== 'release') {
    options.set(Opt.maxSize, Uint8Array.of(1500 >> 8, 1500 & 255));
    if (m.opts.hostname) options.set(Opt.hostname, new TextEncoder().encode(m.opts.hostname));
    options.set(Opt.paramRequest, Uint8Array.from(PARAMS));
  }
  return {
    op: BOOTREQUEST, xid: m.xid, secs: Math.min(0xffff, Math.floor((now - m.since) / 1000)),
    flags: extra.broadcast ? FLAG_BROADCAST : 0,
    ciaddr: extra.ciaddr ?? '0.0.0.0', yiaddr: '0.0.0.0', siaddr: '0.0.0.0', giaddr: '0.0.0.0',
    chaddr: m.opts.mac.toLowerCase(), options,
  };
}

function enter(m: Machine, to: DhcpState, actions: DhcpAction[]): void {
  if (m.state !== to) actions.push({ type: 'state', from: m.state, to });
  m.state = to;
}

function cancelAll(actions: DhcpAction[]): void {
  for (const timer of ALL_TIMERS) actions.push({ type: 'cancelTimer', timer });
}

function sendDiscover(m: Machine, now: number, actions: DhcpAction[]): void {
  actions.push({ type: 'send', to: 'broadcast', message: message(m, 'discover', now, { broadcast: true }) });
  actions.push({ type: 'setTimer', timer: 'retransmit', at: now + retransmitDelay(m) });
}

function startDiscovery(m: Machine, now: number, actions: DhcpAction[]): void {
  enter(m, 'init', actions);
  m.xid = newXid(m);
  m.attempt = 0;
  m.since = now;
  delete m.offered;
  enter(m, 'selecting', actions);
  sendDiscover(m, now, actions);
}

function sendRebootRequest(m: Machine, now: number, actions: DhcpAction[]): void {
  const lease = m.lease!;
  actions.push({ type: 'send', to: 'broadcast', message: message(m, 'request', now, { requestedIp: lease.address, broadcast: true }) });
  const timeout = m.opts.rebootTimeoutMs ?? 2000;
  actions.push({ type: 'setTimer', timer: 'retransmit', at: now + Math.max(1, Math.round(timeout / 2)) });
}

function startReboot(m: Machine, now: number, actions: DhcpAction[]): void {
  enter(m, 'init-reboot', actions);
  m.xid = newXid(m);
  m.attempt = 0;
  m.since = now;
  enter(m, 'rebooting', actions);
  sendRebootRequest(m, now, actions);
}

function sendSelectingRequest(m: Machine, now: number, actions: DhcpAction[]): void {
  const o = m.offered!;
  actions.push({ type: 'send', to: 'broadcast', message: message(m, 'request', now, { requestedIp: o.address, serverId: o.serverId, broadcast: true }) });
  actions.push({ type: 'setTimer', timer: 'retransmit', at: now + retransmitDelay(m) });
}

function renewRetryAt(m: Machine, now: number, deadline: number): number {
  const min = m.opts.minRenewRetryMs ?? 60000;
  return Math.min(deadline, now + Math.max((deadline - now) / 2, min));
}

function leaseDeadlines(m: Machine): { t1: number; t2: number; expiry: number } | undefined {
  const l = m.lease!;
  if (l.leaseTime === INFINITE) return undefined;
  const at = m.boundAt!;
  return { t1: at + l.t1 * 1000, t2: at + l.t2 * 1000, expiry: at + l.leaseTime * 1000 };
}

function sendRenew(m: Machine, now: number, actions: DhcpAction[]): void {
  const l = m.lease!;
  const d = leaseDeadlines(m)!;
  if (m.state === 'renewing') {
    actions.push({ type: 'send', to: { unicast: l.serverId }, message: message(m, 'request', now, { ciaddr: l.address, broadcast: false }) });
    actions.push({ type: 'setTimer', timer: 'retransmit', at: renewRetryAt(m, now, d.t2) });
  } else {
    actions.push({ type: 'send', to: 'broadcast', message: message(m, 'request', now, { ciaddr: l.address, broadcast: true }) });
    actions.push({ type: 'setTimer', timer: 'retransmit', at: renewRetryAt(m, now, d.expiry) });
  }
}

/** Builds the lease from an ACK; undefined (with a reason) when it is unusable. */
export function leaseFromAck(message: DhcpMessage): { lease?: Lease; reason?: string } {
  const r = readReplyOptions(message);
  if (!r.ok) return { reason: `${r.error.code}: ${r.error.detail}` };
  const o = r.value;
  if (message.yiaddr === '0.0.0.0') return { reason: 'ACK without yiaddr' };
  if (!o.serverId) return { reason: 'ACK without server identifier' };
  if (o.leaseTime === undefined) return { reason: 'ACK without lease time' };
  const prefix = o.subnetMask ? maskToPrefix(o.subnetMask) : classfulPrefix(message.yiaddr);
  if (prefix === undefined) return { reason: `non-contiguous subnet mask ${o.subnetMask}` };
  const leaseTime = o.leaseTime;
  let t1 = o.t1 ?? Math.floor(leaseTime * 0.5);
  let t2 = o.t2 ?? Math.floor(leaseTime * 0.875);
  if (!(t1 < t2 && t2 <= leaseTime)) {
    t1 = Math.floor(leaseTime * 0.5);
    t2 = Math.floor(leaseTime * 0.875);
  }
  const lease: Lease = {
    address: message.yiaddr, prefix, serverId: o.serverId, routers: o.routers, dns: o.dns, ntp: o.ntp,
    leaseTime, t1, t2,
  };
  if (o.domain !== undefined) lease.domain = o.domain;
  if (o.hostname !== undefined) lease.hostname = o.hostname;
  if (o.mtu !== undefined) lease.mtu = o.mtu;
  if (o.classlessRoutes !== undefined) lease.classlessRoutes = o.classlessRoutes;
  return { lease };
}

function classfulPrefix(ip: string): number {
  const first = Number(ip.split('.')[0]);
  return first < 128 ? 8 : first < 192 ? 16 : 24;
}

function bind(m: Machine, now: number, lease: Lease, actions: DhcpAction[]): void {
  const previous = m.lease;
  m.lease = lease;
  m.boundAt = now;
  m.attempt = 0;
  m.configured = true;
  enter(m, 'bound', actions);
  cancelAll(actions);
  const configure: DhcpAction = { type: 'configure', lease };
  if (previous) configure.previous = previous;
  actions.push(configure);
  const d = leaseDeadlines(m);
  if (d) {
    actions.push({ type: 'setTimer', timer: 't1', at: d.t1 });
    actions.push({ type: 'setTimer', timer: 't2', at: d.t2 });
    actions.push({ type: 'setTimer', timer: 'expiry', at: d.expiry });
  }
}

function loseLease(m: Machine, now: number, reason: string, actions: DhcpAction[]): void {
  dropLease(m, reason, actions);
  startDiscovery(m, now, actions);
}

function dropLease(m: Machine, reason: string, actions: DhcpAction[]): void {
  cancelAll(actions);
  if (m.lease && m.configured) actions.push({ type: 'deconfigure', lease: m.lease, reason });
  m.configured = false;
  delete m.lease;
  delete m.boundAt;
}

/** Back to the lease we still hold, in whichever state its deadlines put us. */
function resumeHeld(m: Machine, now: number, actions: DhcpAction[]): void {
  const d = leaseDeadlines(m);
  m.attempt = 0;
  if (!d || now < d.t1) return enter(m, 'bound', actions);
  m.xid = newXid(m);
  m.since = now;
  enter(m, now < d.t2 ? 'renewing' : 'rebinding', actions);
  sendRenew(m, now, actions);
}

function onReply(m: Machine, now: number, msg: DhcpMessage, actions: DhcpAction[]): void {
  const drop = (reason: string): void => { actions.push({ type: 'drop', reason }); };
  if (msg.op !== 2) return drop('not a BOOTREPLY');
  if (msg.xid !== m.xid) return drop(`xid 0x${msg.xid.toString(16)} is not ours (0x${m.xid.toString(16)})`);
  if (msg.chaddr !== m.opts.mac.toLowerCase()) return drop(`chaddr ${msg.chaddr} is not ours`);
  const r = readReplyOptions(msg);
  if (!r.ok) return drop(`${r.error.code}: ${r.error.detail}`);
  const type = r.value.messageType;
  switch (m.state) {
    case 'selecting': {
      if (type !== 'offer') return drop(`${type} while selecting`);
      if (msg.yiaddr === '0.0.0.0') return drop('OFFER without yiaddr');
      if (!r.value.serverId) return drop('OFFER without server identifier');
      m.offered = { address: msg.yiaddr, serverId: r.value.serverId };
      m.attempt = 0;
      enter(m, 'requesting', actions);
      sendSelectingRequest(m, now, actions);
      return;
    }
    case 'requesting': case 'rebooting': case 'renewing': case 'rebinding': {
      if (type === 'nak') {
        if (m.state === 'requesting' && r.value.serverId && r.value.serverId !== m.offered?.serverId) {
          return drop(`NAK from ${r.value.serverId}, not the selected server`);
        }
        return loseLease(m, now, `NAK${r.value.message ? `: ${r.value.message}` : ''}`, actions);
      }
      if (type !== 'ack') return drop(`${type} while ${m.state}`);
      const { lease, reason } = leaseFromAck(msg);
      if (!lease) return drop(reason!);
      if (m.state === 'requesting' && lease.address !== m.offered?.address) {
        return drop(`ACK for ${lease.address}, requested ${m.offered?.address}`);
      }
      bind(m, now, lease, actions);
      return;
    }
    default:
      return drop(`${type} while ${m.state}`);
  }
}

function onTimer(m: Machine, now: number, timer: TimerName, actions: DhcpAction[]): void {
  switch (timer) {
    case 'retransmit':
      if (!m.linkUp) return;
      m.attempt++;
      if (m.state === 'selecting') return sendDiscover(m, now, actions);
      if (m.state === 'requesting') {
        if (m.attempt >= 4) return startDiscovery(m, now, actions);
        return sendSelectingRequest(m, now, actions);
      }
      if (m.state === 'rebooting') {
        if (m.attempt >= 2) {
          // RFC 2131 3.2: with no answer, a client may keep using a lease it holds.
          if (m.configured) return resumeHeld(m, now, actions);
          delete m.lease;
          return startDiscovery(m, now, actions);
        }
        return sendRebootRequest(m, now, actions);
      }
      if (m.state === 'renewing' || m.state === 'rebinding') return sendRenew(m, now, actions);
      return;
    case 't1':
      if (m.state !== 'bound') return;
      m.xid = newXid(m);
      m.since = now;
      enter(m, 'renewing', actions);
      if (m.linkUp) sendRenew(m, now, actions);
      return;
    case 't2':
      if (m.state !== 'bound' && m.state !== 'renewing') return;
      m.xid = newXid(m);
      enter(m, 'rebinding', actions);
      if (m.linkUp) sendRenew(m, now, actions);
      return;
    case 'expiry':
      if (!m.lease) return;
      if (!m.linkUp) {
        dropLease(m, 'lease expired', actions);
        enter(m, 'init', actions);
        return;
      }
      return loseLease(m, now, 'lease expired', actions);
  }
}

export function step(prev: Machine, event: DhcpEvent): Step {
  const m: Machine = { ...prev };
  const actions: DhcpAction[] = [];
  if (m.state === 'stopped') {
    if (event.type === 'reply') actions.push({ type: 'drop', reason: 'client stopped' });
    return { machine: m, actions };
  }
  switch (event.type) {
    case 'start':
      if (event.lease) {
        m.lease = event.lease;
        startReboot(m, event.now, actions);
      } else {
        startDiscovery(m, event.now, actions);
      }
      break;
    case 'reply':
      onReply(m, event.now, event.message, actions);
      break;
    case 'timer':
      onTimer(m, event.now, event.timer, actions);
      break;
    case 'linkDown':
      m.linkUp = false;
      actions.push({ type: 'cancelTimer', timer: 'retransmit' });
      break;
    case 'linkUp':
      if (m.linkUp) break;
      m.linkUp = true;
      // RFC 2131 3.2: after a possible move to another network, verify the lease first.
      if (m.lease) {
        actions.push({ type: 'cancelTimer', timer: 'retransmit' });
        m.xid = newXid(m);
        m.attempt = 0;
        m.since = event.now;
        if (m.configured) {
          // Keep the address and the lease timers while we verify it.
          enter(m, 'rebooting', actions);
          sendRebootRequest(m, event.now, actions);
        } else {
          startReboot(m, event.now, actions);
        }
      } else {
        cancelAll(actions);
        startDiscovery(m, event.now, actions);
      }
      break;
    case 'stop': {
      cancelAll(actions);
      if (m.lease && m.configured && event.release) {
        m.xid = newXid(m);
        actions.push({ type: 'send', to: { unicast: m.lease!.serverId }, message: message(m, 'release', event.now, { ciaddr: m.lease!.address, serverId: m.lease!.serverId, broadcast: false }) });
        actions.push({ type: 'deconfigure', lease: m.lease!, reason: 'released' });
        m.configured = false;
      }
      enter(m, 'stopped', actions);
      break;
    }
  }
  return { machine: m, actions };
}
