// The network area of the addon (netlink.cc, packet.cc, time.cc), registered
// from addon.cc's Init with one call.
#pragma once

#include <napi.h>

namespace k3os {

void RegisterNet(Napi::Env env, Napi::Object exports);

}  // namespace k3os
