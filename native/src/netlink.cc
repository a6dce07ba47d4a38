#include "netlink.h"

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "args.h"
#include "datagram_reader.h"
#include "errors.h"
#include "net.h"
#include "packet.h"
#include "clock.h"

namespace k3os {

namespace {

constexpr size_t kRecvBuf = 65536;

class Request {
 public:
  Request(uint16_t type, uint16_t flags, const void* body, size_t len) {
    std::memset(buf_, 0, sizeof buf_);
    h()->nlmsg_len = NLMSG_LENGTH(len);
    h()->nlmsg_type = type;
    h()->nlmsg_flags = flags;
    std::memcpy(NLMSG_DATA(h()), body, len);
  }
  nlmsghdr* h() { return reinterpret_cast<nlmsghdr*>(buf_); }
  void Attr(uint16_t type, const void* data, size_t len) {
    auto* a = reinterpret_cast<rtattr*>(buf_ + NLMSG_ALIGN(h()->nlmsg_len));
    a->rta_type = type;
    a->rta_len = RTA_LENGTH(len);
    std::memcpy(RTA_DATA(a), data, len);
    h()->nlmsg_len = NLMSG_ALIGN(h()->nlmsg_len) + RTA_ALIGN(a->rta_len);
  }
  void U32(uint16_t type, uint32_t v) { Attr(type, &v, sizeof v); }

 private:
  alignas(nlmsghdr) uint8_t buf_[1024];
};

int OpenSocket(uint32_t groups) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) return -errno;
  sockaddr_nl sa{};
  sa.nl_family = AF_NETLINK;
  sa.nl_groups = groups;
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    int err = errno;
    close(fd);
    return -err;
  }
  return fd;
}

// Sends one request and reads replies until the ACK, an error or NLMSG_DONE.
// Returns 0 or a positive errno.
int Transact(Request& req, const std::function<void(const nlmsghdr*)>& onMessage) {
  int fd = OpenSocket(0);
  if (fd < 0) return -fd;
  std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* p) { close(*p); });
  req.h()->nlmsg_seq = 1;
  req.h()->nlmsg_flags |= NLM_F_REQUEST;
  sockaddr_nl kernel{};
  kernel.nl_family = AF_NETLINK;
  if (sendto(fd, req.h(), req.h()->nlmsg_len, 0, reinterpret_cast<sockaddr*>(&kernel),
             sizeof kernel) < 0) {
    return errno;
  }
  std::vector<uint8_t> buf(kRecvBuf);
  for (;;) {
    ssize_t n = recv(fd, buf.data(), buf.size(), 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    int len = static_cast<int>(n);
    for (auto* h = reinterpret_cast<nlmsghdr*>(buf.data()); NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_seq != 1) continue;
      if (h->nlmsg_type == NLMSG_DONE) return 0;
      if (h->nlmsg_type == NLMSG_ERROR) {
        auto* e = static_cast<nlmsgerr*>(NLMSG_DATA(h));
        return -e->error;
      }
      onMessage(h);
    }
  }
}

std::string Mac(const uint8_t* p, size_t n) {
  std::string out;
  char hex[4];
  for (size_t i = 0; i < n; i++) {
    std::snprintf(hex, sizeof hex, i ? ":%02x" : "%02x", p[i]);
    out += hex;
  }
  return out;
}

std::string Addr(int family, const void* p) {
  char text[INET6_ADDRSTRLEN] = "";
  inet_ntop(family, p, text, sizeof text);
  return text;
}

const char* OperState(uint8_t s) {
  static const char* names[] = {"unknown", "notpresent", "down", "lowerlayerdown",
                                "testing", "dormant", "up"};
  return s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

Napi::Object LinkObject(Napi::Env env, const nlmsghdr* h) {
  auto* ifi = static_cast<const ifinfomsg*>(NLMSG_DATA(h));
  Napi::Object o = Napi::Object::New(env);
  o.Set("index", ifi->ifi_index);
  o.Set("type", ifi->ifi_type);
  o.Set("flags", ifi->ifi_flags);
  o.Set("up", (ifi->ifi_flags & IFF_UP) != 0);
  o.Set("loopback", (ifi->ifi_flags & IFF_LOOPBACK) != 0);
  bool carrier = (ifi->ifi_flags & IFF_LOWER_UP) != 0;
  o.Set("operstate", "unknown");
  int len = static_cast<int>(IFLA_PAYLOAD(h));
  for (auto* a = IFLA_RTA(ifi); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    auto* data = static_cast<const uint8_t*>(RTA_DATA(a));
    size_t n = RTA_PAYLOAD(a);
    switch (a->rta_type) {
      case IFLA_IFNAME:
        o.Set("name", std::string(reinterpret_cast<const char*>(data), strnlen(reinterpret_cast<const char*>(data), n)));
        break;
      case IFLA_MTU:
        if (n >= 4) o.Set("mtu", *reinterpret_cast<const uint32_t*>(data));
        break;
      case IFLA_ADDRESS:
        o.Set("mac", Mac(data, n));
        break;
      case IFLA_OPERSTATE:
        if (n >= 1) o.Set("operstate", OperState(data[0]));
        break;
      case IFLA_CARRIER:
        if (n >= 1) carrier = data[0] != 0;
        break;
      case IFLA_MASTER:
        if (n >= 4) o.Set("master", *reinterpret_cast<const uint32_t*>(data));
        break;
      case IFLA_LINKINFO: {
        int inner = static_cast<int>(n);
        for (auto* b = static_cast<rtattr*>(RTA_DATA(a)); RTA_OK(b, inner); b = RTA_NEXT(b, inner)) {
          if (b->rta_type == IFLA_INFO_KIND) {
            auto* k = static_cast<const char*>(RTA_DATA(b));
            o.Set("kind", std::string(k, strnlen(k, RTA_PAYLOAD(b))));
          }
        }
        break;
      }
      default:
        break;
    }
  }
  o.Set("carrier", carrier);
  return o;
}

Napi::Value LinkList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  Request req(RTM_GETLINK, NLM_F_DUMP, &ifi, sizeof ifi);
  Napi::Array out = Napi::Array::New(env);
  int err = Transact(req, [&](const nlmsghdr* h) {
    if (h->nlmsg_type == RTM_NEWLINK) out.Set(out.Length(), LinkObject(env, h));
  });
  if (err) ThrowErrno(env, err, "RTM_GETLINK");
  return out;
}

// linkSet(index, up: boolean | null, mtu: number | null)
void LinkSet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int index = static_cast<int>(IntArg(info, 0, "index"));
  ifinfomsg ifi{};
  ifi.ifi_family = AF_UNSPEC;
  ifi.ifi_index = index;
  if (!info[1].IsNull()) {
    ifi.ifi_change = IFF_UP;
    ifi.ifi_flags = BoolArg(info, 1, "up") ? IFF_UP : 0;
  }
  Request req(RTM_NEWLINK, NLM_F_ACK, &ifi, sizeof ifi);
  if (!info[2].IsNull()) req.U32(IFLA_MTU, static_cast<uint32_t>(IntArg(info, 2, "mtu")));
  int err = Transact(req, [](const nlmsghdr*) {});
  if (err) ThrowErrno(env, err, "RTM_NEWLINK", ("ifindex " + std::to_string(index)).c_str());
}

struct IpAddr {
  int family = 0;
  uint8_t bytes[16] = {};
  size_t len() const { return family == AF_INET ? 4 : 16; }
};

IpAddr ParseIp(const Napi::CallbackInfo& info, size_t i, const char* name) {
  std::string text = StringArg(info, i, name);
  IpAddr a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes) == 1) {
    a.family = AF_INET;
  } else if (inet_pton(AF_INET6, text.c_str(), a.bytes) == 1) {
    a.family = AF_INET6;
  } else {
    ThrowArgType(info, i, name, "an IPv4 or IPv6 address");
  }
  return a;
}

Napi::Object AddrObject(Napi::Env env, const nlmsghdr* h) {
  auto* ifa = static_cast<const ifaddrmsg*>(NLMSG_DATA(h));
  Napi::Object o = Napi::Object::New(env);
  o.Set("index", ifa->ifa_index);
  o.Set("family", ifa->ifa_family == AF_INET ? 4 : 6);
  o.Set("prefix", ifa->ifa_prefixlen);
  o.Set("scope", ifa->ifa_scope);
  uint32_t flags = ifa->ifa_flags;
  std::string address, local;
  int len = static_cast<int>(IFA_PAYLOAD(h));
  for (auto* a = IFA_RTA(ifa); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    switch (a->rta_type) {
      case IFA_ADDRESS:
        address = Addr(ifa->ifa_family, RTA_DATA(a));
        break;
      case IFA_LOCAL:
        local = Addr(ifa->ifa_family, RTA_DATA(a));
        break;
      case IFA_FLAGS:
        if (RTA_PAYLOAD(a) >= 4) flags = *static_cast<const uint32_t*>(RTA_DATA(a));
        break;
      case IFA_CACHEINFO:
        if (RTA_PAYLOAD(a) >= sizeof(ifa_cacheinfo)) {
          auto* ci = static_cast<const ifa_cacheinfo*>(RTA_DATA(a));
          o.Set("validLft", ci->ifa_valid);
          o.Set("preferredLft", ci->ifa_prefered);
        }
        break;
      default:
        break;
    }
  }
  // For IPv4, IFA_LOCAL is the interface's own address; IFA_ADDRESS is the
  // peer on point-to-point links.
  o.Set("address", local.empty() ? address : local);
  o.Set("flags", flags);
  return o;
}

Napi::Value AddrList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  ifaddrmsg ifa{};
  ifa.ifa_family = AF_UNSPEC;
  Request req(RTM_GETADDR, NLM_F_DUMP, &ifa, sizeof ifa);
  Napi::Array out = Napi::Array::New(env);
  int err = Transact(req, [&](const nlmsghdr* h) {
    if (h->nlmsg_type == RTM_NEWADDR) out.Set(out.Length(), AddrObject(env, h));
  });
  if (err) ThrowErrno(env, err, "RTM_GETADDR");
  return out;
}

std::string Describe(const std::string& what, int index) {
  return what + " dev " + std::to_string(index);
}

// addrAdd(index, address, prefix, validLft, preferredLft, replace)
// Lifetimes in seconds; 0xffffffff is forever.
void AddrAdd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int index = static_cast<int>(IntArg(info, 0, "index"));
  IpAddr ip = ParseIp(info, 1, "address");
  int prefix = static_cast<int>(IntArg(info, 2, "prefix"));
  uint32_t valid = static_cast<uint32_t>(IntArg(info, 3, "validLft"));
  uint32_t preferred = static_cast<uint32_t>(IntArg(info, 4, "preferredLft"));
  bool replace = BoolArg(info, 5, "replace");
  ifaddrmsg ifa{};
  ifa.ifa_family = static_cast<uint8_t>(ip.family);
  ifa.ifa_prefixlen = static_cast<uint8_t>(prefix);
  ifa.ifa_index = static_cast<uint32_t>(index);
  ifa.ifa_scope = RT_SCOPE_UNIVERSE;
  Request req(RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL),
              &ifa, sizeof ifa);
  req.Attr(IFA_LOCAL, ip.bytes, ip.len());
  req.Attr(IFA_ADDRESS, ip.bytes, ip.len());
  if (ip.family == AF_INET && prefix < 31) {
    uint32_t addr;
    std::memcpy(&addr, ip.bytes, 4);
    uint32_t host = prefix == 0 ? 0xffffffffu : (0xffffffffu >> prefix);
    uint32_t brd = addr | htonl(host);
    req.Attr(IFA_BROADCAST, &brd, 4);
  }
  ifa_cacheinfo ci{};
  ci.ifa_valid = valid;
  ci.ifa_prefered = preferred;
  req.Attr(IFA_CACHEINFO, &ci, sizeof ci);
  int err = Transact(req, [](const nlmsghdr*) {});
  if (err) {
    std::string what = Describe(Addr(ip.family, ip.bytes) + "/" + std::to_string(prefix), index);
    ThrowErrno(env, err, "RTM_NEWADDR", what.c_str());
  }
}

// addrDel(index, address, prefix)
void AddrDel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int index = static_cast<int>(IntArg(info, 0, "index"));
  IpAddr ip = ParseIp(info, 1, "address");
  int prefix = static_cast<int>(IntArg(info, 2, "prefix"));
  ifaddrmsg ifa{};
  ifa.ifa_family = static_cast<uint8_t>(ip.family);
  ifa.ifa_prefixlen = static_cast<uint8_t>(prefix);
  ifa.ifa_index = static_cast<uint32_t>(index);
  Request req(RTM_DELADDR, NLM_F_ACK, &ifa, sizeof ifa);
  req.Attr(IFA_LOCAL, ip.bytes, ip.len());
  int err = Transact(req, [](const nlmsghdr*) {});
  if (err) {
    std::string what = Describe(Addr(ip.family, ip.bytes) + "/" + std::to_string(prefix), index);
    ThrowErrno(env, err, "RTM_DELADDR", what.c_str());
  }
}

Napi::Object RouteObject(Napi::Env env, const nlmsghdr* h) {
  auto* rtm = static_cast<const rtmsg*>(NLMSG_DATA(h));
  Napi::Object o = Napi::Object::New(env);
  int family = rtm->rtm_family;
  o.Set("family", family == AF_INET ? 4 : 6);
  o.Set("prefix", rtm->rtm_dst_len);
  o.Set("protocol", rtm->rtm_protocol);
  o.Set("scope", rtm->rtm_scope);
  o.Set("type", rtm->rtm_type);
  o.Set("onlink", (rtm->rtm_flags & RTNH_F_ONLINK) != 0);
  uint32_t table = rtm->rtm_table;
  o.Set("dst", family == AF_INET ? "0.0.0.0" : "::");
  int len = static_cast<int>(RTM_PAYLOAD(h));
  for (auto* a = RTM_RTA(rtm); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
    switch (a->rta_type) {
      case RTA_DST:
        o.Set("dst", Addr(family, RTA_DATA(a)));
        break;
      case RTA_GATEWAY:
        o.Set("gateway", Addr(family, RTA_DATA(a)));
        break;
      case RTA_PREFSRC:
        o.Set("src", Addr(family, RTA_DATA(a)));
        break;
      case RTA_OIF:
        o.Set("oif", *static_cast<const uint32_t*>(RTA_DATA(a)));
        break;
      case RTA_PRIORITY:
        o.Set("metric", *static_cast<const uint32_t*>(RTA_DATA(a)));
        break;
      case RTA_TABLE:
        table = *static_cast<const uint32_t*>(RTA_DATA(a));
        break;
      default:
        break;
    }
  }
  o.Set("table", table);
  return o;
}

Napi::Value RouteList(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  rtmsg rtm{};
  rtm.rtm_family = AF_UNSPEC;
  Request req(RTM_GETROUTE, NLM_F_DUMP, &rtm, sizeof rtm);
  Napi::Array out = Napi::Array::New(env);
  int err = Transact(req, [&](const nlmsghdr* h) {
    if (h->nlmsg_type == RTM_NEWROUTE) out.Set(out.Length(), RouteObject(env, h));
  });
  if (err) ThrowErrno(env, err, "RTM_GETROUTE");
  return out;
}

// Shared by routeAdd and routeDel:
// (dst, prefix, gateway | null, oif, metric, ...)
struct RouteArgs {
  IpAddr dst, gateway;
  bool hasGateway = false;
  int prefix = 0, oif = 0;
  uint32_t metric = 0;
  std::string what;
};

RouteArgs ReadRoute(const Napi::CallbackInfo& info) {
  RouteArgs r;
  r.dst = ParseIp(info, 0, "dst");
  r.prefix = static_cast<int>(IntArg(info, 1, "prefix"));
  if (!info[2].IsNull()) {
    r.gateway = ParseIp(info, 2, "gateway");
    r.hasGateway = true;
  }
  r.oif = static_cast<int>(IntArg(info, 3, "oif"));
  r.metric = static_cast<uint32_t>(IntArg(info, 4, "metric"));
  r.what = Addr(r.dst.family, r.dst.bytes) + "/" + std::to_string(r.prefix);
  if (r.hasGateway) r.what += " via " + Addr(r.gateway.family, r.gateway.bytes);
  r.what = Describe(r.what, r.oif);
  return r;
}

Request RouteRequest(uint16_t type, uint16_t flags, const RouteArgs& r, uint8_t protocol,
                     uint8_t scope, uint32_t rtflags) {
  rtmsg rtm{};
  rtm.rtm_family = static_cast<uint8_t>(r.dst.family);
  rtm.rtm_dst_len = static_cast<uint8_t>(r.prefix);
  rtm.rtm_table = RT_TABLE_MAIN;
  rtm.rtm_protocol = protocol;
  rtm.rtm_scope = scope;
  rtm.rtm_type = RTN_UNICAST;
  rtm.rtm_flags = rtflags;
  Request req(type, flags, &rtm, sizeof rtm);
  if (r.prefix > 0) req.Attr(RTA_DST, r.dst.bytes, r.dst.len());
  if (r.hasGateway) req.Attr(RTA_GATEWAY, r.gateway.bytes, r.gateway.len());
  if (r.oif > 0) req.U32(RTA_OIF, static_cast<uint32_t>(r.oif));
  if (r.metric > 0) req.U32(RTA_PRIORITY, r.metric);
  return req;
}

// routeAdd(dst, prefix, gateway | null, oif, metric, onlink, protocol, src | null, replace)
void RouteAdd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RouteArgs r = ReadRoute(info);
  bool onlink = BoolArg(info, 5, "onlink");
  uint8_t protocol = static_cast<uint8_t>(IntArg(info, 6, "protocol"));
  bool replace = BoolArg(info, 8, "replace");
  uint8_t scope = r.hasGateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  Request req = RouteRequest(RTM_NEWROUTE,
                             NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL), r,
                             protocol, scope, onlink ? RTNH_F_ONLINK : 0);
  if (!info[7].IsNull()) {
    IpAddr src = ParseIp(info, 7, "src");
    req.Attr(RTA_PREFSRC, src.bytes, src.len());
  }
  int err = Transact(req, [](const nlmsghdr*) {});
  if (err) ThrowErrno(env, err, "RTM_NEWROUTE", r.what.c_str());
}

// routeDel(dst, prefix, gateway | null, oif, metric)
void RouteDel(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  RouteArgs r = ReadRoute(info);
  Request req = RouteRequest(RTM_DELROUTE, NLM_F_ACK, r, 0, RT_SCOPE_NOWHERE, 0);
  int err = Transact(req, [](const nlmsghdr*) {});
  if (err) ThrowErrno(env, err, "RTM_DELROUTE", r.what.c_str());
}

// Wraps a reader as { close() } (plus extra methods), keeping it alive for as
// long as any of the functions is reachable.
Napi::Object ReaderHandle(Napi::Env env, std::shared_ptr<DatagramReader> reader) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("close", Napi::Function::New(env, [reader](const Napi::CallbackInfo&) { reader->Stop(); }, "close"));
  return o;
}

// watchLinks(listener(event: 'new' | 'del' | 'error', link | errno)) -> { close() }
Napi::Value WatchLinks(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) ThrowArgType(info, 0, "listener", "a function");
  int fd = OpenSocket(RTMGRP_LINK);
  if (fd < 0) ThrowErrno(env, -fd, "socket", "NETLINK_ROUTE");
  auto deliver = [](Napi::Env env, Napi::Function fn, const Datagram& d) {
    if (d.pkttype < 0) {
      fn.Call({Napi::String::New(env, "error"), Napi::String::New(env, ErrnoCode(d.error))});
      return;
    }
    int len = static_cast<int>(d.data.size());
    auto* h = reinterpret_cast<const nlmsghdr*>(d.data.data());
    for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
      if (h->nlmsg_type != RTM_NEWLINK && h->nlmsg_type != RTM_DELLINK) continue;
      if (h->nlmsg_len < NLMSG_LENGTH(sizeof(ifinfomsg))) continue;
      const char* kind = h->nlmsg_type == RTM_NEWLINK ? "new" : "del";
      fn.Call({Napi::String::New(env, kind), LinkObject(env, h)});
    }
  };
  auto reader = std::make_shared<DatagramReader>(env, fd, info[0].As<Napi::Function>(), deliver,
                                                 "k3os-link-watch");
  return ReaderHandle(env, reader);
}

}  // namespace

void RegisterNetlink(Napi::Env env, Napi::Object exports) {
  exports.Set("netLinkList", Napi::Function::New(env, LinkList, "netLinkList"));
  exports.Set("netLinkSet", Napi::Function::New(env, LinkSet, "netLinkSet"));
  exports.Set("netAddrList", Napi::Function::New(env, AddrList, "netAddrList"));
  exports.Set("netAddrAdd", Napi::Function::New(env, AddrAdd, "netAddrAdd"));
  exports.Set("netAddrDel", Napi::Function::New(env, AddrDel, "netAddrDel"));
  exports.Set("netRouteList", Napi::Function::New(env, RouteList, "netRouteList"));
  exports.Set("netRouteAdd", Napi::Function::New(env, RouteAdd, "netRouteAdd"));
  exports.Set("netRouteDel", Napi::Function::New(env, RouteDel, "netRouteDel"));
  exports.Set("netWatchLinks", Napi::Function::New(env, WatchLinks, "netWatchLinks"));
}

void RegisterNet(Napi::Env env, Napi::Object exports) {
  RegisterNetlink(env, exports);
  RegisterPacket(env, exports);
  RegisterTime(env, exports);
}

}  // namespace k3os
