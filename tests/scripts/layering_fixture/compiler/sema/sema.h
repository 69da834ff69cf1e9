#pragma once
#include "compiler/driver/load.h"
#include "compiler/graph/graph.h"
