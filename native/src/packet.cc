#include "packet.h"

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <string>

#include "args.h"
#include "datagram_reader.h"
#include "errors.h"

namespace k3os {

namespace {

// packetOpen(ifindex, protocol, listener(frame: Buffer, pkttype: number) |
//   listener(null, errnoCode)) -> { send(payload, destMac), close() }
// SOCK_DGRAM: the kernel strips and builds the link-layer header; frames are
// the network-layer packet (an IPv4 header and what follows for ETH_P_IP).
Napi::Value PacketOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int ifindex = static_cast<int>(IntArg(info, 0, "ifindex"));
  uint16_t protocol = static_cast<uint16_t>(IntArg(info, 1, "protocol"));
  if (!info[2].IsFunction()) ThrowArgType(info, 2, "listener", "a function");
  int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(protocol));
  if (fd < 0) ThrowErrno(env, errno, "socket", "AF_PACKET");
  sockaddr_ll sa{};
  sa.sll_family = AF_PACKET;
  sa.sll_protocol = htons(protocol);
  sa.sll_ifindex = ifindex;
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    int err = errno;
    close(fd);
    ThrowErrno(env, err, "bind", ("ifindex " + std::to_string(ifindex)).c_str());
  }
  auto deliver = [](Napi::Env env, Napi::Function fn, const Datagram& d) {
    if (d.pkttype < 0) {
      fn.Call({env.Null(), Napi::String::New(env, ErrnoCode(d.error))});
      return;
    }
    fn.Call({Napi::Buffer<uint8_t>::Copy(env, d.data.data(), d.data.size()),
             Napi::Number::New(env, d.pkttype)});
  };
  auto reader = std::make_shared<DatagramReader>(env, fd, info[2].As<Napi::Function>(), deliver,
                                                 "k3os-packet");
  Napi::Object o = Napi::Object::New(env);
  o.Set("close", Napi::Function::New(env, [reader](const Napi::CallbackInfo&) { reader->Stop(); }, "close"));
  // send(payload: Uint8Array, destMac: Uint8Array(6)): never blocks; EAGAIN
  // when the queue is full is thrown for the caller to retry on its timer.
  o.Set("send", Napi::Function::New(env, [reader, ifindex, protocol](const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (!info[0].IsTypedArray()) ThrowArgType(info, 0, "payload", "a Uint8Array");
    if (!info[1].IsTypedArray()) ThrowArgType(info, 1, "destMac", "a Uint8Array");
    auto payload = info[0].As<Napi::Uint8Array>();
    auto mac = info[1].As<Napi::Uint8Array>();
    if (mac.ByteLength() != ETH_ALEN) ThrowArgType(info, 1, "destMac", "6 bytes");
    if (reader->stopped()) ThrowErrno(env, EBADF, "sendto", "AF_PACKET");
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_protocol = htons(protocol);
    to.sll_ifindex = ifindex;
    to.sll_halen = ETH_ALEN;
    std::memcpy(to.sll_addr, mac.Data(), ETH_ALEN);
    if (sendto(reader->fd(), payload.Data(), payload.ByteLength(), MSG_DONTWAIT,
               reinterpret_cast<sockaddr*>(&to), sizeof to) < 0) {
      ThrowErrno(env, errno, "sendto", ("ifindex " + std::to_string(ifindex)).c_str());
    }
  }, "send"));
  return o;
}

}  // namespace

void RegisterPacket(Napi::Env env, Napi::Object exports) {
  exports.Set("packetOpen", Napi::Function::New(env, PacketOpen, "packetOpen"));
}

}  // namespace k3os
