#include "datagram_reader.h"

#include <linux/if_packet.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "errors.h"

namespace k3os {

// Frames queued for JS beyond this are dropped: a DHCP exchange needs a handful,
// and a flood must not grow memory without bound.
constexpr size_t kMaxQueued = 256;
constexpr size_t kMaxDatagram = 65536;

DatagramReader::DatagramReader(Napi::Env env, int fd, Napi::Function listener,
                               DatagramDeliver deliver, const char* name)
    : env_(env), fd_(fd), deliver_(std::move(deliver)) {
  wake_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_ < 0) {
    int err = errno;
    close(fd_);
    ThrowErrno(env, err, "eventfd");
  }
  tsfn_ = Napi::ThreadSafeFunction::New(env, listener, name, kMaxQueued, 1);
  cleanup_ = env.AddCleanupHook(&DatagramReader::OnCleanup, this);
  thread_ = std::thread(&DatagramReader::Run, this);
}

DatagramReader::~DatagramReader() { Stop(); }

void DatagramReader::OnCleanup(DatagramReader* self) { self->Stop(); }

void DatagramReader::Stop() {
  if (stopped_) return;
  stopped_ = true;
  uint64_t one = 1;
  // A full eventfd counter still wakes poll, so the result does not matter.
  (void)!write(wake_, &one, sizeof one);
  thread_.join();
  close(fd_);
  close(wake_);
  if (!cleanup_.IsEmpty()) cleanup_.Remove(env_);
  tsfn_.Release();
}

void DatagramReader::Run() {
  std::vector<uint8_t> buf(kMaxDatagram);
  pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_, POLLIN, 0}};
  DatagramDeliver deliver = deliver_;
  auto call = [&](Datagram* d) {
    auto cb = [deliver](Napi::Env env, Napi::Function fn, Datagram* item) {
      std::unique_ptr<Datagram> owned(item);
      if (env == nullptr || fn.IsEmpty()) return;
      try {
        deliver(env, fn, *owned);
      } catch (const Napi::Error& error) {
        error.ThrowAsJavaScriptException();
      }
    };
    if (tsfn_.NonBlockingCall(d, cb) != napi_ok) delete d;
  };
  for (;;) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents) return;
    if (!fds[0].revents) continue;
    sockaddr_ll from{};
    socklen_t fromlen = sizeof from;
    ssize_t n = recvfrom(fd_, buf.data(), buf.size(), MSG_DONTWAIT,
                         reinterpret_cast<sockaddr*>(&from), &fromlen);
    if (n < 0) {
      int err = errno;
      if (err == EINTR || err == EAGAIN) continue;
      auto* d = new Datagram();
      d->pkttype = -1;
      d->error = err;
      call(d);
      // ENOBUFS is a netlink overrun: the socket stays usable. Anything else
      // (ENETDOWN on a vanished interface...) ends the reader.
      if (err == ENOBUFS) continue;
      return;
    }
    auto* d = new Datagram();
    d->data.assign(buf.begin(), buf.begin() + n);
    d->pkttype = from.sll_family == AF_PACKET ? from.sll_pkttype : 0;
    call(d);
  }
}

}  // namespace k3os
