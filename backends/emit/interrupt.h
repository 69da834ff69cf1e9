// Interruption of a write: SIGINT, SIGTERM and SIGHUP are held while a temporary tree exists, so
// the writer can remove it before the process dies of the signal.
#pragma once

namespace platc::emit {

// While alive, SIGINT, SIGTERM and SIGHUP only record that they arrived (an async-signal-safe
// store, nothing else); a signal the process ignored (nohup) stays ignored. The destructor
// restores the previous handlers and raises a recorded signal again, so the process still ends
// as the signal asked (exit status 128 + N for the shell), after the writer cleaned up.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  // The signal that arrived since construction, 0 if none.
  int pending() const;
};

}  // namespace platc::emit
