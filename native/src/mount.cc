#include <sys/mount.h>

#include <cerrno>

#include "addon.h"
#include "args.h"
#include "errors.h"

namespace k3os {

namespace {

// mount(source|null, target, fstype|null, flags, data|null)
void Mount(const Napi::CallbackInfo& info) {
  std::string source, fstype, data;
  bool hasSource = OptionalStringArg(info, 0, "source", &source);
  std::string target = StringArg(info, 1, "target");
  bool hasFstype = OptionalStringArg(info, 2, "fstype", &fstype);
  auto flags = static_cast<unsigned long>(IntArg(info, 3, "flags"));
  bool hasData = OptionalStringArg(info, 4, "data", &data);
  if (mount(hasSource ? source.c_str() : nullptr, target.c_str(),
            hasFstype ? fstype.c_str() : nullptr, flags,
            hasData ? data.c_str() : nullptr) != 0) {
    ThrowErrno(info.Env(), errno, "mount", target.c_str());
  }
}

// umount2(target, flags)
void Umount2(const Napi::CallbackInfo& info) {
  std::string target = StringArg(info, 0, "target");
  int flags = static_cast<int>(IntArg(info, 1, "flags"));
  if (umount2(target.c_str(), flags) != 0) ThrowErrno(info.Env(), errno, "umount2", target.c_str());
}

}  // namespace

void RegisterMount(Napi::Env env, Napi::Object exports) {
  exports.Set("mount", Napi::Function::New(env, Mount, "mount"));
  exports.Set("umount2", Napi::Function::New(env, Umount2, "umount2"));
  Napi::Object c = Napi::Object::New(env);
#define K3OS_CONST(name) c.Set(#name, Napi::Number::New(env, static_cast<double>(name)));
  K3OS_CONST(MS_RDONLY) K3OS_CONST(MS_NOSUID) K3OS_CONST(MS_NODEV) K3OS_CONST(MS_NOEXEC)
  K3OS_CONST(MS_REMOUNT) K3OS_CONST(MS_BIND) K3OS_CONST(MS_REC) K3OS_CONST(MS_PRIVATE)
  K3OS_CONST(MS_SLAVE) K3OS_CONST(MS_SHARED) K3OS_CONST(MS_RELATIME) K3OS_CONST(MS_NOATIME)
  K3OS_CONST(MS_MOVE) K3OS_CONST(MNT_FORCE) K3OS_CONST(MNT_DETACH)
#undef K3OS_CONST
  exports.Set("mountConstants", c);
}

}  // namespace k3os
