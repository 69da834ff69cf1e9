#pragma once
#include "compiler/source/source.h"
