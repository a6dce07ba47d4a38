#include "reaper.h"

#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "addon.h"
#include "args.h"
#include "errors.h"

namespace k3os {

// Orphans re-parented to us are not announced: with no children left,
// waitid says ECHILD and the thread polls at this period (or wakes at once on
// a spawn).
constexpr auto kIdlePoll = std::chrono::milliseconds(50);

void CallExitListener(Napi::Env env, Napi::Function listener, std::nullptr_t*, ExitInfo* exit) {
  std::unique_ptr<ExitInfo> owned(exit);
  if (env == nullptr || listener.IsEmpty()) return;
  // Raw calls, no C++ exceptions: this runs from libuv, and during teardown
  // calls into JS fail. A listener's exception stays pending; Node reports it
  // as uncaught.
  napi_value argv[3];
  napi_create_int32(env, owned->pid, &argv[0]);
  if (owned->signal) {
    napi_get_null(env, &argv[1]);
    napi_create_int32(env, owned->signal, &argv[2]);
  } else {
    napi_create_int32(env, owned->code, &argv[1]);
    napi_get_null(env, &argv[2]);
  }
  napi_value undefined, result;
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, listener, 3, argv, &result);
}

Reaper::Reaper(Napi::Env env, std::shared_ptr<ChildTable> children, Napi::Function listener)
    : children_(std::move(children)), env_(env) {
  tsfn_ = Tsfn::New(env, listener, "k3os-reaper", 0, 1);
  // Not by itself a reason to keep the process alive; the facade refs it
  // while someone waits for an exit (refReaper).
  tsfn_.Unref(env);
  {
    std::lock_guard<std::mutex> lock(children_->mu);
    children_->stopping = false;
    children_->sink = [this](const ExitInfo& exit) {
      auto* copy = new ExitInfo(exit);
      if (tsfn_.NonBlockingCall(copy) != napi_ok) delete copy;
    };
  }
  // Registered after the thread-safe function, so at environment teardown
  // this hook runs first (hooks run in reverse order) and joins the thread
  // while the function still exists.
  napi_add_env_cleanup_hook(env, &Reaper::OnCleanup, this);
  hooked_ = true;
  thread_ = std::thread(&Reaper::Run, this);
}

Reaper::~Reaper() { Stop(); }

void Reaper::SetRef(bool on) {
  if (stopped_) return;
  if (on) {
    tsfn_.Ref(env_);
  } else {
    tsfn_.Unref(env_);
  }
}

void Reaper::OnCleanup(void* self) {
  auto* reaper = static_cast<Reaper*>(self);
  reaper->hooked_ = false;  // a hook running now must not remove itself
  reaper->Stop();
}

void Reaper::Stop() {
  if (stopped_) return;
  stopped_ = true;
  pid_t wake;
  {
    std::lock_guard<std::mutex> lock(children_->mu);
    children_->stopping = true;
    children_->changed.notify_all();
    // waitid cannot be interrupted without a signal handler; a child that
    // exits at once wakes it. Marked in-flight so it is never delivered.
    wake = ForkBlocked();
    if (wake == 0) _exit(0);
    if (wake > 0) children_->inflight.insert(wake);
  }
  thread_.join();
  if (wake > 0) children_->Discard(wake);
  {
    std::lock_guard<std::mutex> lock(children_->mu);
    children_->sink = nullptr;
  }
  if (hooked_) napi_remove_env_cleanup_hook(env_, &Reaper::OnCleanup, this);
  hooked_ = false;
  tsfn_.Release();
}

void Reaper::Run() {
  ChildTable& t = *children_;
  for (;;) {
    uint64_t seen;
    {
      std::lock_guard<std::mutex> lock(t.mu);
      if (t.stopping) return;
      seen = t.generation;
    }
    siginfo_t si;
    std::memset(&si, 0, sizeof si);
    if (waitid(P_ALL, 0, &si, WEXITED) == 0) {
      if (si.si_pid == 0) continue;
      bool exited = si.si_code == CLD_EXITED;
      t.Collected(ExitInfo{si.si_pid, exited ? si.si_status : -1, exited ? 0 : si.si_status});
      continue;
    }
    if (errno == EINTR) continue;
    // ECHILD (or anything unexpected): wait for a spawn, a stop, or the
    // next poll for re-parented orphans.
    std::unique_lock<std::mutex> lock(t.mu);
    t.changed.wait_for(lock, kIdlePoll, [&] { return t.stopping || t.generation != seen; });
  }
}

namespace {

// startReaper(listener(pid, code|null, signal|null))
void StartReaper(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsFunction()) ThrowArgType(info, 0, "listener", "a function");
  Addon& addon = AddonOf(env);
  if (addon.reaper) throw Napi::Error::New(env, "the reaper is already running");
  addon.reaper = std::make_unique<Reaper>(env, addon.children, info[0].As<Napi::Function>());
}

void StopReaper(const Napi::CallbackInfo& info) {
  Addon& addon = AddonOf(info.Env());
  if (addon.reaper) addon.reaper->Stop();
  addon.reaper.reset();
}

// refReaper(on): whether a running reaper keeps the event loop alive.
void RefReaper(const Napi::CallbackInfo& info) {
  bool on = BoolArg(info, 0, "on");
  Addon& addon = AddonOf(info.Env());
  if (addon.reaper) addon.reaper->SetRef(on);
}

// setChildSubreaper(on): prctl(PR_SET_CHILD_SUBREAPER), so orphans below a
// process that is not PID 1 are re-parented to it (tests, containers).
void SetChildSubreaper(const Napi::CallbackInfo& info) {
  bool on = BoolArg(info, 0, "on");
  if (prctl(PR_SET_CHILD_SUBREAPER, on ? 1 : 0, 0, 0, 0) != 0) {
    ThrowErrno(info.Env(), errno, "prctl");
  }
}

}  // namespace

void RegisterReaper(Napi::Env env, Napi::Object exports) {
  exports.Set("startReaper", Napi::Function::New(env, StartReaper, "startReaper"));
  exports.Set("stopReaper", Napi::Function::New(env, StopReaper, "stopReaper"));
  exports.Set("refReaper", Napi::Function::New(env, RefReaper, "refReaper"));
  exports.Set("setChildSubreaper", Napi::Function::New(env, SetChildSubreaper, "setChildSubreaper"));
}

}  // namespace k3os
