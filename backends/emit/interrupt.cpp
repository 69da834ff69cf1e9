#include "backends/emit/interrupt.h"

#include <csignal>

namespace platc::emit {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];
bool g_installed[3] = {false, false, false};
// The one thing the handler does: a lock-free store of the first signal's number.
volatile std::sig_atomic_t g_signal = 0;

extern "C" void record_signal(int sig) {
  if (g_signal == 0) g_signal = sig;
}

}  // namespace

InterruptGuard::InterruptGuard() {
  g_signal = 0;
  for (int i = 0; i < 3; ++i) {
    struct sigaction sa {};
    sa.sa_handler = record_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;  // writes in progress finish; the writer checks between files
    g_installed[i] = false;
    if (sigaction(kSignals[i], nullptr, &g_previous[i]) != 0) continue;
    if (g_previous[i].sa_handler == SIG_IGN) continue;  // nohup: the user asked to ignore it
    g_installed[i] = sigaction(kSignals[i], &sa, nullptr) == 0;
  }
}

InterruptGuard::~InterruptGuard() {
  for (int i = 0; i < 3; ++i)
    if (g_installed[i]) sigaction(kSignals[i], &g_previous[i], nullptr);
  int sig = g_signal;
  g_signal = 0;
  if (sig != 0) std::raise(sig);
}

int InterruptGuard::pending() const { return g_signal; }

}  // namespace platc::emit
