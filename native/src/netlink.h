// rtnetlink (NETLINK_ROUTE): links, addresses, routes and link events. Each
// call opens its own socket, sends one request and reads until the kernel's
// ACK or NLMSG_DONE, so calls are independent and never share state. No
// policy: EEXIST on an add is thrown like any errno; src/sys decides.
#pragma once

#include <napi.h>

namespace k3os {

void RegisterNetlink(Napi::Env env, Napi::Object exports);

}  // namespace k3os
