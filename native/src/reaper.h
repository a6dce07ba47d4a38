// One thread blocking in waitid(P_ALL, WEXITED): every child of this process,
// spawned by us or re-parented to us, is reaped here and its exit delivered to
// JS through a thread-safe function. Started explicitly, so a process can load
// the addon without taking over its children.
#pragma once

#include <napi.h>

#include <memory>
#include <thread>

#include "children.h"

namespace k3os {

void CallExitListener(Napi::Env env, Napi::Function listener, std::nullptr_t*, ExitInfo* exit);

class Reaper {
 public:
  using Tsfn = Napi::TypedThreadSafeFunction<std::nullptr_t, ExitInfo, CallExitListener>;

  Reaper(Napi::Env env, std::shared_ptr<ChildTable> children, Napi::Function listener);
  ~Reaper();
  Reaper(const Reaper&) = delete;
  Reaper& operator=(const Reaper&) = delete;

  // Stops and joins the thread; idempotent. Exits collected before the stop
  // are still delivered.
  void Stop();

  // Ref/unref the thread-safe function: a ref keeps the event loop alive.
  void SetRef(bool on);

 private:
  static void OnCleanup(void* self);
  void Run();

  std::shared_ptr<ChildTable> children_;
  Tsfn tsfn_;
  Napi::Env env_;
  bool hooked_ = false;
  std::thread thread_;
  bool stopped_ = false;
};

}  // namespace k3os
