#include "backends/kubernetes/kubernetes.h"
#include "compiler/graph/graph.h"

#include "PlatLexer.h"          // violation: ANTLR outside parse
#include "compiler/ast/ast.h"   // violation: backends never see the AST
#include "kubernetes.h"         // violation: not relative to the root
#include "tests/helper.h"       // violation: a file of no stage
