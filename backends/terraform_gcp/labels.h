// GCP label rules, in one place for the check step (labels.cpp reports what GCP would refuse) and
// for the families that write `labels` (context.cpp): what a tag becomes on GCP.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/diag/diagnostic.h"
#include "compiler/graph/graph.h"

namespace platc::terraform_gcp {

// At most this many labels on one resource (Resource Manager, "Requirements for labels").
inline constexpr std::size_t kMaxLabels = 64;

// Why `s` cannot be a label key (`key`) or value as written; empty when GCP takes it.
std::string label_problem(std::string_view s, bool key);
// `s` lowered, when lowering it is all it takes to become a label (`Team` → `team`); none when
// other characters must change too, which only the user can choose.
std::optional<std::string> lowered_label(std::string_view s, bool key);

// Whether the GCP backend writes the block's own tags as labels of its resources (the platform's
// reach every resource through the provider's default_labels).
bool takes_labels(const graph::Node& n);

// The check step's part: every tag of a block that takes labels must be a label as written
// (E0525), and no resource may get more than kMaxLabels.
void check_labels(const graph::Graph& g, Diagnostics& diags);

}  // namespace platc::terraform_gcp
