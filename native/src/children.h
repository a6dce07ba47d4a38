// The bookkeeping spawn and the reaper share: which children are being
// spawned right now, and their exits if the reaper collected one before spawn
// knew whether exec succeeded.
//
// spawn holds `mu` across fork() and marks the pid in `inflight` before the
// child can exit, so the reaper parks that pid's exit instead of delivering
// it. When exec failed, spawn reaps the child itself (or drops the parked
// exit): a failed spawn throws and never shows up as an exit or an orphan.
#pragma once

#include <sys/types.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace k3os {

struct ExitInfo {
  pid_t pid;
  int code;    // exit status, or -1 when killed by a signal
  int signal;  // terminating signal, or 0
};

// fork() with every signal blocked in the calling thread, so none of Node's
// signal handlers runs in the child (libuv's would write into the parent's
// signal pipe). The child returns with all signals still blocked; the
// parent's mask is restored. errno is preserved from fork.
pid_t ForkBlocked();

class ChildTable {
 public:
  std::mutex mu;
  // Signalled after a spawn and on stop; the reaper waits on it after ECHILD.
  std::condition_variable changed;
  uint64_t generation = 0;
  bool stopping = false;
  std::unordered_set<pid_t> inflight;
  std::unordered_map<pid_t, ExitInfo> parked;
  // Set while a reaper runs; called with `mu` held.
  std::function<void(const ExitInfo&)> sink;

  // Reaper side: park the exit if spawn still owns the pid, else deliver it.
  void Collected(const ExitInfo& exit) {
    std::lock_guard<std::mutex> lock(mu);
    if (inflight.count(exit.pid)) {
      parked.emplace(exit.pid, exit);
      changed.notify_all();
    } else if (sink) {
      sink(exit);
    }
  }

  // Spawn side, after exec succeeded: hand the pid to the reaper, with any
  // exit it already collected.
  void Released(pid_t pid) {
    std::lock_guard<std::mutex> lock(mu);
    inflight.erase(pid);
    auto node = parked.extract(pid);
    if (!node.empty() && sink) sink(node.mapped());
    generation++;
    changed.notify_all();
  }

  // Spawn side, after exec failed: reap the child here whether or not a
  // reaper runs. waitpid gets ECHILD when the reaper collected it first; its
  // exit is then parked (or about to be), and is dropped. The wait is bounded
  // because ECHILD without a reaper (SIGCHLD ignored) parks nothing.
  void Discard(pid_t pid) {
    int status;
    pid_t got;
    while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR) {
    }
    std::unique_lock<std::mutex> lock(mu);
    if (got < 0 && sink) {
      changed.wait_for(lock, std::chrono::seconds(1), [&] { return parked.count(pid) > 0; });
    }
    inflight.erase(pid);
    parked.erase(pid);
  }
};

}  // namespace k3os
