#include "compiler/sema/sema.h"
// #include "compiler/ast/ast.h" is a comment, not an include
#include "compiler/sema/internal.h"  // violation: private to sema
#include "compiler/driver/load.h"    // violation: policy depends on sema, sema on driver; not transitive
