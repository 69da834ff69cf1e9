#pragma once
#include <string>

#include "compiler/ast/ast.h"  // violation: graph does not depend on ast
#include "compiler/source/source.h"
