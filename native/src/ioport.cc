// x86 I/O ports, for one test-only purpose: writing qemu's isa-debug-exit
// port so a VM test gets a verdict from inside the guest (the kernel has no
// /dev/port). ioperm needs CAP_SYS_RAWIO; outb on a port not granted is a
// SIGSEGV, so callers grant first.
#include <sys/io.h>

#include <cerrno>

#include "addon.h"
#include "args.h"
#include "errors.h"

namespace k3os {

namespace {

// ioperm(from, num, turn_on)
void Ioperm(const Napi::CallbackInfo& info) {
  auto from = static_cast<unsigned long>(IntArg(info, 0, "from"));
  auto num = static_cast<unsigned long>(IntArg(info, 1, "num"));
  int on = BoolArg(info, 2, "on") ? 1 : 0;
  if (ioperm(from, num, on) != 0) ThrowErrno(info.Env(), errno, "ioperm");
}

// outb(value, port)
void Outb(const Napi::CallbackInfo& info) {
  auto value = static_cast<unsigned char>(IntArg(info, 0, "value"));
  auto port = static_cast<unsigned short>(IntArg(info, 1, "port"));
  outb(value, port);
}

}  // namespace

void RegisterIoport(Napi::Env env, Napi::Object exports) {
  exports.Set("ioperm", Napi::Function::New(env, Ioperm, "ioperm"));
  exports.Set("outb", Napi::Function::New(env, Outb, "outb"));
}

}  // namespace k3os
