#pragma once
#include "compiler/graph/value.h"
#include "compiler/source/source.h"
