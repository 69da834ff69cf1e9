#include "backends/kubernetes/kubernetes.h"
#include "compiler/sema/sema.h"  // violation: the registry does not depend on sema
