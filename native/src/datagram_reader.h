// A thread that blocks in poll() on one datagram socket (netlink, packet) and
// hands every datagram to JS through a thread-safe function, so nothing ever
// blocks the event loop. Stop() wakes the thread through an eventfd, joins it
// and closes the socket; it is idempotent and also runs at env teardown.
#pragma once

#include <napi.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

namespace k3os {

struct Datagram {
  std::vector<uint8_t> data;
  // sll_pkttype for packet sockets (PACKET_HOST, PACKET_BROADCAST, ...); -1 for
  // a receive error such as ENOBUFS (netlink overrun: events were lost).
  int pkttype = 0;
  int error = 0;
};

// Turns one datagram into the listener's arguments on the JS thread.
using DatagramDeliver = std::function<void(Napi::Env, Napi::Function, const Datagram&)>;

class DatagramReader {
 public:
  // Takes ownership of fd. Throws a JS error (eventfd) on failure, closing fd.
  DatagramReader(Napi::Env env, int fd, Napi::Function listener, DatagramDeliver deliver,
                 const char* name);
  ~DatagramReader();
  DatagramReader(const DatagramReader&) = delete;
  DatagramReader& operator=(const DatagramReader&) = delete;

  int fd() const { return fd_; }
  bool stopped() const { return stopped_; }
  void Stop();

 private:
  static void OnCleanup(DatagramReader* self);
  void Run();

  Napi::Env env_;
  int fd_;
  int wake_ = -1;
  DatagramDeliver deliver_;
  Napi::ThreadSafeFunction tsfn_;
  Napi::Env::CleanupHook<void (*)(DatagramReader*), DatagramReader> cleanup_;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace k3os
