// The wall clock: clock_settime(CLOCK_REALTIME) to step it, adjtime(3) to slew it.
#pragma once

#include <napi.h>

namespace k3os {

void RegisterTime(Napi::Env env, Napi::Object exports);

}  // namespace k3os
