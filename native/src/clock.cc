#include "clock.h"

#include <sys/time.h>
#include <ctime>

#include <cerrno>

#include "args.h"
#include "errors.h"

namespace k3os {

namespace {

// clockSettime(sec, nsec): steps CLOCK_REALTIME.
void ClockSettime(const Napi::CallbackInfo& info) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(IntArg(info, 0, "sec"));
  ts.tv_nsec = static_cast<long>(IntArg(info, 1, "nsec"));
  if (clock_settime(CLOCK_REALTIME, &ts) != 0) ThrowErrno(info.Env(), errno, "clock_settime");
}

// adjtime(usec): slews the clock by usec (the kernel spreads it over time);
// returns the part of an earlier adjustment that was still outstanding.
Napi::Value Adjtime(const Napi::CallbackInfo& info) {
  int64_t usec = IntArg(info, 0, "usec");
  timeval delta{};
  delta.tv_sec = static_cast<time_t>(usec / 1000000);
  delta.tv_usec = static_cast<suseconds_t>(usec % 1000000);
  timeval old{};
  if (adjtime(&delta, &old) != 0) ThrowErrno(info.Env(), errno, "adjtime");
  return Napi::Number::New(info.Env(), static_cast<double>(old.tv_sec) * 1e6 + static_cast<double>(old.tv_usec));
}

}  // namespace

void RegisterTime(Napi::Env env, Napi::Object exports) {
  exports.Set("clockSettime", Napi::Function::New(env, ClockSettime, "clockSettime"));
  exports.Set("adjtime", Napi::Function::New(env, Adjtime, "adjtime"));
}

}  // namespace k3os
