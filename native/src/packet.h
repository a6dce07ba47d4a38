// AF_PACKET datagram sockets bound to one interface: send and receive IP
// packets before the interface has an address (DHCP). Received frames are
// delivered from a reader thread; filtering is the caller's job.
#pragma once

#include <napi.h>

namespace k3os {

void RegisterPacket(Napi::Env env, Napi::Object exports);

}  // namespace k3os
