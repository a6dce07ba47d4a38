#include <linux/reboot.h>
#include <sys/reboot.h>
#include <unistd.h>

#include <cerrno>

#include "addon.h"
#include "args.h"
#include "errors.h"

namespace k3os {

namespace {

// reboot(cmd): LINUX_REBOOT_CMD_* (RESTART, POWER_OFF, HALT, CAD_ON, CAD_OFF).
void Reboot(const Napi::CallbackInfo& info) {
  int cmd = static_cast<int>(IntArg(info, 0, "cmd"));
  if (reboot(cmd) != 0) ThrowErrno(info.Env(), errno, "reboot");
}

void Sync(const Napi::CallbackInfo&) { sync(); }

void Sethostname(const Napi::CallbackInfo& info) {
  std::string name = StringArg(info, 0, "name");
  if (sethostname(name.data(), name.size()) != 0) ThrowErrno(info.Env(), errno, "sethostname");
}

}  // namespace

void RegisterPower(Napi::Env env, Napi::Object exports) {
  exports.Set("reboot", Napi::Function::New(env, Reboot, "reboot"));
  exports.Set("sync", Napi::Function::New(env, Sync, "sync"));
  exports.Set("sethostname", Napi::Function::New(env, Sethostname, "sethostname"));
  Napi::Object c = Napi::Object::New(env);
#define K3OS_CONST(name) c.Set(#name, Napi::Number::New(env, static_cast<double>(name)));
  K3OS_CONST(LINUX_REBOOT_CMD_RESTART) K3OS_CONST(LINUX_REBOOT_CMD_POWER_OFF)
  K3OS_CONST(LINUX_REBOOT_CMD_HALT) K3OS_CONST(LINUX_REBOOT_CMD_CAD_ON)
  K3OS_CONST(LINUX_REBOOT_CMD_CAD_OFF)
#undef K3OS_CONST
  exports.Set("rebootConstants", c);
}

}  // namespace k3os
