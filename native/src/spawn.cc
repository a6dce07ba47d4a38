#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <string>
#include <vector>

#include "addon.h"
#include "args.h"
#include "children.h"
#include "errors.h"

namespace k3os {

namespace {

// What failed in the child before or at exec, sent back over a CLOEXEC pipe.
enum Stage : int { kSetsid, kDup, kTty, kChdir, kSetgroups, kSetgid, kSetuid, kCloseRange, kExec };

struct ChildFailure {
  int stage;
  int err;
};

const char* StageSyscall(int stage) {
  switch (stage) {
    case kSetsid: return "setsid";
    case kDup: return "dup2";
    case kTty: return "ioctl";
    case kChdir: return "chdir";
    case kSetgroups: return "setgroups";
    case kSetgid: return "setgid";
    case kSetuid: return "setuid";
    case kCloseRange: return "close_range";
    default: return "execve";
  }
}

struct ChildPlan {
  const char* file;
  char* const* argv;
  char* const* envp;
  const char* cwd;  // nullptr: inherit
  int stdio[3];     // source fd for 0, 1, 2
  bool setsid;
  bool controllingTty;
  long uid;  // -1: keep
  long gid;  // -1: keep
  int report;  // write end of the error pipe
};

[[noreturn]] void Fail(const ChildPlan& plan, int stage) {
  ChildFailure failure{stage, errno};
  while (write(plan.report, &failure, sizeof failure) < 0 && errno == EINTR) {
  }
  _exit(127);
}

// Marks every fd from 3 up close-on-exec. close_range needs Linux 5.11; older
// kernels get the loop, bounded by the fd limit.
bool CloexecFrom3() {
  if (syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return true;
  struct rlimit limit;
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  rlim_t end = limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur > 65536 ? 65536 : limit.rlim_cur;
  for (rlim_t fd = 3; fd < end; fd++) {
    int flags = fcntl(static_cast<int>(fd), F_GETFD);
    if (flags >= 0) fcntl(static_cast<int>(fd), F_SETFD, flags | FD_CLOEXEC);
  }
  return true;
}

// The kernel's struct for rt_sigaction on x86_64 (not glibc's struct sigaction).
// All zero is SIG_DFL with an empty mask and no flags.
struct KernelSigaction {
  void (*handler)(int);
  unsigned long flags;
  void (*restorer)();
  uint64_t mask;
};
constexpr int kKernelSignals = 64;

// Runs in the forked child: async-signal-safe calls only, no allocation.
[[noreturn]] void RunChild(const ChildPlan& plan) {
  // Ignored dispositions survive exec (Node ignores SIGPIPE); handled ones
  // would point into the parent's code until exec. All signals are still
  // blocked here (ForkBlocked), so none arrives half-way. The raw syscall,
  // because glibc's sigaction refuses signals 32 and 33 (its own), and an
  // ignored one inherited from whoever started us would survive exec too.
  KernelSigaction dfl{};
  for (int sig = 1; sig <= kKernelSignals; sig++) {
    if (sig != SIGKILL && sig != SIGSTOP) syscall(SYS_rt_sigaction, sig, &dfl, nullptr, sizeof(dfl.mask));
  }

  if ((plan.setsid || plan.controllingTty) && setsid() < 0) Fail(plan, kSetsid);

  // A source fd below 3 could be overwritten by an earlier dup2: move it up.
  int stdio[3] = {plan.stdio[0], plan.stdio[1], plan.stdio[2]};
  for (int i = 0; i < 3; i++) {
    if (stdio[i] < 3 && stdio[i] != i) {
      stdio[i] = fcntl(stdio[i], F_DUPFD_CLOEXEC, 3);
      if (stdio[i] < 0) Fail(plan, kDup);
    }
  }
  for (int i = 0; i < 3; i++) {
    if (stdio[i] == i) {
      if (fcntl(i, F_SETFD, 0) < 0) Fail(plan, kDup);
    } else if (dup2(stdio[i], i) < 0) {
      Fail(plan, kDup);
    }
  }

  if (plan.controllingTty && ioctl(0, TIOCSCTTY, 0) < 0) Fail(plan, kTty);
  if (plan.cwd && chdir(plan.cwd) < 0) Fail(plan, kChdir);
  if (plan.gid >= 0) {
    if (setgroups(0, nullptr) < 0) Fail(plan, kSetgroups);
    if (setgid(static_cast<gid_t>(plan.gid)) < 0) Fail(plan, kSetgid);
  }
  if (plan.uid >= 0 && setuid(static_cast<uid_t>(plan.uid)) < 0) Fail(plan, kSetuid);
  if (!CloexecFrom3()) Fail(plan, kCloseRange);

  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, nullptr);
  execve(plan.file, plan.argv, plan.envp);
  Fail(plan, kExec);
}

std::vector<char*> NullTerminated(std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// spawn(file, argv, envp, cwd|null, [stdin, stdout, stderr], setsid,
//       controllingTty, uid, gid) -> pid
// stdio entries are fds, or -1 for /dev/null; uid/gid -1 keep ours.
// Throws the child's error (execve ENOENT...) synchronously.
Napi::Value Spawn(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string file = StringArg(info, 0, "file");
  std::vector<std::string> argvStrings = StringArrayArg(info, 1, "argv");
  std::vector<std::string> envStrings = StringArrayArg(info, 2, "envp");
  std::string cwd;
  bool hasCwd = OptionalStringArg(info, 3, "cwd", &cwd);
  if (!info[4].IsArray() || info[4].As<Napi::Array>().Length() != 3) {
    ThrowArgType(info, 4, "stdio", "an array of 3 numbers");
  }
  Napi::Array stdioArray = info[4].As<Napi::Array>();
  int stdio[3];
  for (uint32_t i = 0; i < 3; i++) {
    Napi::Value v = stdioArray.Get(i);
    if (!v.IsNumber()) ThrowArgType(info, 4, "stdio", "an array of 3 numbers");
    stdio[i] = v.As<Napi::Number>().Int32Value();
  }
  bool newSession = BoolArg(info, 5, "setsid");
  bool controllingTty = BoolArg(info, 6, "controllingTty");
  long uid = static_cast<long>(IntArg(info, 7, "uid"));
  long gid = static_cast<long>(IntArg(info, 8, "gid"));

  std::vector<char*> argv = NullTerminated(argvStrings);
  std::vector<char*> envp = NullTerminated(envStrings);

  int devNull = -1;
  if (stdio[0] < 0 || stdio[1] < 0 || stdio[2] < 0) {
    devNull = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (devNull < 0) ThrowErrno(env, errno, "open", "/dev/null");
    for (int& fd : stdio) {
      if (fd < 0) fd = devNull;
    }
  }
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) {
    int err = errno;
    if (devNull >= 0) close(devNull);
    ThrowErrno(env, err, "pipe2");
  }

  ChildPlan plan{file.c_str(), argv.data(), envp.data(), hasCwd ? cwd.c_str() : nullptr,
                 {stdio[0], stdio[1], stdio[2]}, newSession, controllingTty, uid, gid, report[1]};

  ChildTable& children = *AddonOf(env).children;
  pid_t pid;
  int forkErr;
  {
    // Held across fork so the reaper cannot collect the child before it is
    // marked in-flight (see children.h).
    std::lock_guard<std::mutex> lock(children.mu);
    pid = ForkBlocked();
    if (pid == 0) RunChild(plan);
    forkErr = errno;
    if (pid > 0) children.inflight.insert(pid);
  }
  close(report[1]);
  if (devNull >= 0) close(devNull);
  if (pid < 0) {
    close(report[0]);
    ThrowErrno(env, forkErr, "fork");
  }

  ChildFailure failure{};
  ssize_t n;
  while ((n = read(report[0], &failure, sizeof failure)) < 0 && errno == EINTR) {
  }
  close(report[0]);
  if (n != static_cast<ssize_t>(sizeof failure)) {
    children.Released(pid);
    return Napi::Number::New(env, pid);
  }
  children.Discard(pid);
  const char* path = failure.stage == kExec ? file.c_str() : failure.stage == kChdir ? cwd.c_str() : nullptr;
  ThrowErrno(env, failure.err, StageSyscall(failure.stage), path);
}

}  // namespace

pid_t ForkBlocked() {
  sigset_t all, old;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  pid_t pid = fork();
  if (pid == 0) return 0;
  int err = errno;
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  errno = err;
  return pid;
}

void RegisterSpawn(Napi::Env env, Napi::Object exports) {
  exports.Set("spawn", Napi::Function::New(env, Spawn, "spawn"));
}

}  // namespace k3os
