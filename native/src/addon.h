// Per-environment state of the addon and the registration function of each
// area. An area is one .cc file exporting the syscalls of one concern; add a
// new one here, in addon.cc's Init and in binding.gyp.
#pragma once

#include <napi.h>

#include <memory>

namespace k3os {

class ChildTable;
class Reaper;

// Instance data (env.GetInstanceData<Addon>()): no globals, so each worker
// thread that loads the addon has its own.
struct Addon {
  std::shared_ptr<ChildTable> children;
  std::unique_ptr<Reaper> reaper;  // set while startReaper's thread runs
  ~Addon();
};

inline Addon& AddonOf(Napi::Env env) { return *env.GetInstanceData<Addon>(); }

void RegisterErrors(Napi::Env env, Napi::Object exports);
void RegisterMount(Napi::Env env, Napi::Object exports);
void RegisterPower(Napi::Env env, Napi::Object exports);
void RegisterModule(Napi::Env env, Napi::Object exports);
void RegisterFd(Napi::Env env, Napi::Object exports);
void RegisterSpawn(Napi::Env env, Napi::Object exports);
void RegisterReaper(Napi::Env env, Napi::Object exports);
void RegisterIoport(Napi::Env env, Napi::Object exports);

}  // namespace k3os
