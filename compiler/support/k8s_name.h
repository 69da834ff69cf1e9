// Kept only for the backends, which include it today: the Kubernetes spelling of names and the
// rest of the name and label rules are in names.h. To be removed once the backends include that.
#pragma once

#include "compiler/support/names.h"
