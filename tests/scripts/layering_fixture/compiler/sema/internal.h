#pragma once
#include "compiler/graph/graph.h"
