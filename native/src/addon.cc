#include "addon.h"

#include "children.h"
#include "net.h"
#include "reaper.h"

namespace k3os {

Addon::~Addon() = default;

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new Addon{std::make_shared<ChildTable>(), nullptr});
  RegisterErrors(env, exports);
  RegisterMount(env, exports);
  RegisterPower(env, exports);
  RegisterModule(env, exports);
  RegisterFd(env, exports);
  RegisterSpawn(env, exports);
  RegisterReaper(env, exports);
  RegisterNet(env, exports);
  RegisterIoport(env, exports);
  return exports;
}

}  // namespace k3os

static Napi::Object InitK3os(Napi::Env env, Napi::Object exports) {
  return k3os::Init(env, exports);
}

NODE_API_MODULE(k3os, InitK3os)
