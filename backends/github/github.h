// The GitHub Actions backend: `.github/workflows/` in the output tree. Every platform gets the lint
// workflow (platc-check.yml); a platform with a `pipeline` block also gets its delivery workflow
// (platc-delivery.yml): build, scan, push, deploy through the environments in order, smoke test,
// roll back. See docs/backends.md ("GitHub Actions").
#pragma once

#include "backends/backend.h"

namespace platc::github {

const backends::Backend& backend();

}  // namespace platc::github
