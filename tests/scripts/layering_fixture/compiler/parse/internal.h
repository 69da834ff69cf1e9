#pragma once
#include <antlr4-runtime.h>

#include "PlatParser.h"
#include "compiler/ast/ast.h"
