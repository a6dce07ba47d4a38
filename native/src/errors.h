// Errors shaped like the ones node:fs throws, so callers handle both alike:
//   { code: 'EBUSY', errno: -16, syscall: 'umount2', path: '/var',
//     message: "EBUSY: device or resource busy, umount2 '/var'" }
#pragma once

#include <napi.h>

#include <string>

namespace k3os {

// "EBUSY", or "UNKNOWN_ERRNO_<n>" for numbers the table does not know.
std::string ErrnoCode(int err);

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall,
                       const char* path = nullptr);

[[noreturn]] void ThrowErrno(Napi::Env env, int err, const char* syscall,
                             const char* path = nullptr);

}  // namespace k3os
