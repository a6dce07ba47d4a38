#include "errors.h"

#include <cctype>
#include <cerrno>
#include <cstring>

namespace k3os {

namespace {

// Linux errno names. Aliases that share a number (EWOULDBLOCK, EDEADLOCK,
// EOPNOTSUPP) are left out: a duplicate case would not compile, and the names
// kept are the ones libuv, and so util.getSystemErrorName, uses.
#define K3OS_ERRNOS(X)                                                         \
  X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC)     \
  X(EBADF) X(ECHILD) X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(ENOTBLK)        \
  X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV) X(ENOTDIR) X(EISDIR) X(EINVAL)         \
  X(ENFILE) X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) X(ENOSPC) X(ESPIPE)        \
  X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG)     \
  X(ENOLCK) X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) X(EIDRM) X(ECHRNG)       \
  X(EL2NSYNC) X(EL3HLT) X(EL3RST) X(ELNRNG) X(EUNATCH) X(ENOCSI) X(EL2HLT)     \
  X(EBADE) X(EBADR) X(EXFULL) X(ENOANO) X(EBADRQC) X(EBADSLT) X(EBFONT)        \
  X(ENOSTR) X(ENODATA) X(ETIME) X(ENOSR) X(ENONET) X(ENOPKG) X(EREMOTE)        \
  X(ENOLINK) X(EADV) X(ESRMNT) X(ECOMM) X(EPROTO) X(EMULTIHOP) X(EDOTDOT)      \
  X(EBADMSG) X(EOVERFLOW) X(ENOTUNIQ) X(EBADFD) X(EREMCHG) X(ELIBACC)          \
  X(ELIBBAD) X(ELIBSCN) X(ELIBMAX) X(ELIBEXEC) X(EILSEQ) X(ERESTART)           \
  X(ESTRPIPE) X(EUSERS) X(ENOTSOCK) X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE)  \
  X(ENOPROTOOPT) X(EPROTONOSUPPORT) X(ESOCKTNOSUPPORT) X(ENOTSUP)              \
  X(EPFNOSUPPORT) X(EAFNOSUPPORT) X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETDOWN)   \
  X(ENETUNREACH) X(ENETRESET) X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS)         \
  X(EISCONN) X(ENOTCONN) X(ESHUTDOWN) X(ETOOMANYREFS) X(ETIMEDOUT)             \
  X(ECONNREFUSED) X(EHOSTDOWN) X(EHOSTUNREACH) X(EALREADY) X(EINPROGRESS)      \
  X(ESTALE) X(EUCLEAN) X(ENOTNAM) X(ENAVAIL) X(EISNAM) X(EREMOTEIO) X(EDQUOT)  \
  X(ENOMEDIUM) X(EMEDIUMTYPE) X(ECANCELED) X(ENOKEY) X(EKEYEXPIRED)            \
  X(EKEYREVOKED) X(EKEYREJECTED) X(EOWNERDEAD) X(ENOTRECOVERABLE) X(ERFKILL)   \
  X(EHWPOISON)

const char* ErrnoName(int err) {
  switch (err) {
#define K3OS_ERRNO_CASE(name) \
  case name:                  \
    return #name;
    K3OS_ERRNOS(K3OS_ERRNO_CASE)
#undef K3OS_ERRNO_CASE
    default:
      return nullptr;
  }
}

// strerror's text with its first letter lowered, as node:fs messages read
// ("no such file or directory").
std::string Describe(int err) {
  char buf[256];
  std::string text = strerror_r(err, buf, sizeof buf);
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(text[0]));
  return text;
}

// errnoError(errno, syscall, path?): the error a failing call would throw,
// returned instead, so the facade and tests can build and check the shape.
Napi::Value JsErrnoError(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (!info[0].IsNumber() || !info[1].IsString())
    throw Napi::TypeError::New(env, "errnoError(errno: number, syscall: string, path?: string)");
  int err = info[0].As<Napi::Number>().Int32Value();
  if (err < 0) err = -err;
  std::string syscall = info[1].As<Napi::String>();
  if (info[2].IsString()) {
    std::string path = info[2].As<Napi::String>();
    return ErrnoError(env, err, syscall.c_str(), path.c_str()).Value();
  }
  return ErrnoError(env, err, syscall.c_str()).Value();
}

}  // namespace

std::string ErrnoCode(int err) {
  const char* name = ErrnoName(err);
  return name ? name : "UNKNOWN_ERRNO_" + std::to_string(err);
}

Napi::Error ErrnoError(Napi::Env env, int err, const char* syscall, const char* path) {
  std::string code = ErrnoCode(err);
  std::string message = code + ": " + Describe(err) + ", " + syscall;
  if (path) message += std::string(" '") + path + "'";
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("errno", Napi::Number::New(env, -err));
  error.Set("code", Napi::String::New(env, code));
  error.Set("syscall", Napi::String::New(env, syscall));
  if (path) error.Set("path", Napi::String::New(env, path));
  return error;
}

void ThrowErrno(Napi::Env env, int err, const char* syscall, const char* path) {
  throw ErrnoError(env, err, syscall, path);
}

void RegisterErrors(Napi::Env env, Napi::Object exports) {
  exports.Set("errnoError", Napi::Function::New(env, JsErrnoError, "errnoError"));
}

}  // namespace k3os
