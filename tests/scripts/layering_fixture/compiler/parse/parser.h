#pragma once
#include "compiler/ast/ast.h"
