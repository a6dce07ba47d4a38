#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "addon.h"
#include "args.h"
#include "errors.h"

namespace k3os {

namespace {

// finitModule(fd, params, flags, path?): path only names the file in errors.
void FinitModule(const Napi::CallbackInfo& info) {
  int fd = static_cast<int>(IntArg(info, 0, "fd"));
  std::string params = StringArg(info, 1, "params");
  int flags = static_cast<int>(IntArg(info, 2, "flags"));
  std::string path;
  bool hasPath = OptionalStringArg(info, 3, "path", &path);
  if (syscall(SYS_finit_module, fd, params.c_str(), flags) != 0) {
    ThrowErrno(info.Env(), errno, "finit_module", hasPath ? path.c_str() : nullptr);
  }
}

}  // namespace

void RegisterModule(Napi::Env env, Napi::Object exports) {
  exports.Set("finitModule", Napi::Function::New(env, FinitModule, "finitModule"));
}

}  // namespace k3os
