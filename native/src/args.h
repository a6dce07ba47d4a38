// Mechanical argument checks for exports. The TypeScript facade validates
// meaning (ranges, names) before calling; these only stop a wrong type from
// reaching a syscall.
#pragma once

#include <napi.h>

#include <string>
#include <vector>

namespace k3os {

[[noreturn]] inline void ThrowArgType(const Napi::CallbackInfo& info, size_t i,
                                      const char* name, const char* type) {
  throw Napi::TypeError::New(info.Env(), "argument " + std::to_string(i) + " (" + name +
                                             ") must be " + type);
}

inline std::string StringArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsString()) ThrowArgType(info, i, name, "a string");
  return info[i].As<Napi::String>();
}

// A string, or null/undefined (passed to the kernel as NULL).
inline bool OptionalStringArg(const Napi::CallbackInfo& info, size_t i, const char* name,
                              std::string* out) {
  if (info[i].IsNull() || info[i].IsUndefined()) return false;
  *out = StringArg(info, i, name);
  return true;
}

inline int64_t IntArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsNumber()) ThrowArgType(info, i, name, "a number");
  return info[i].As<Napi::Number>().Int64Value();
}

inline bool BoolArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (!info[i].IsBoolean()) ThrowArgType(info, i, name, "a boolean");
  return info[i].As<Napi::Boolean>().Value();
}

inline std::vector<std::string> StringArrayArg(const Napi::CallbackInfo& info, size_t i,
                                               const char* name) {
  if (!info[i].IsArray()) ThrowArgType(info, i, name, "an array of strings");
  Napi::Array array = info[i].As<Napi::Array>();
  std::vector<std::string> out;
  out.reserve(array.Length());
  for (uint32_t k = 0; k < array.Length(); k++) {
    Napi::Value item = array.Get(k);
    if (!item.IsString()) ThrowArgType(info, i, name, "an array of strings");
    out.push_back(item.As<Napi::String>());
  }
  return out;
}

}  // namespace k3os
